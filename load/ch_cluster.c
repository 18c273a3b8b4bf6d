/*
 * ch_cluster.c - the schema's statements on one server or a cluster
 * (gha-load, a target with ?cluster=NAME).
 *
 * The schema (ch_schema.c) is written for one server.  ch_ddl runs each
 * statement as it is there, and turns it into its cluster form here,
 * in one place, so that every table made later goes the same way:
 *   - CREATE DATABASE, CREATE VIEW, DROP TABLE: ON CLUSTER NAME;
 *   - CREATE TABLE @.t (...) ENGINE = E(args) ... ORDER BY key: two
 *     statements ON CLUSTER, the rows in t_shard, ENGINE =
 *     ReplicatedE('/clickhouse/tables/NAME/{shard}/DB/t', '{replica}',
 *     args) (the servers' macros name the shard and the replica), and t
 *     itself a Distributed table over them sharded by
 *     cityHash64(key).  A ReplacingMergeTree's sort key is its identity:
 *     rows that replace each other share it, so their copies always
 *     meet on one shard and FINAL there is exact.  Every statement
 *     that reads or writes t (the views, the probe, the INSERTs) is
 *     unchanged: t is the whole table on every node;
 *   - TRUNCATE TABLE @.t and ALTER TABLE @.t: on t_shard (and for ALTER
 *     on t too) ON CLUSTER.
 * But a table in everywhere[] is one replicated table whole on every
 * node (its replicas named {shard}-{replica}), under its own name:
 * bot_logins, which the views read in IN (SELECT ...) (18.16 gives a
 * query over a Distributed table that filters by IN over another
 * Distributed table wrong rows: a SELECT DISTINCT returned copies), and
 * ch_rollup.c's aggregates, which must not be split by shard (a
 * repository's members would be counted once per shard), and the
 * ledger's archive_sources, which daily_sources joins to archive_hours
 * (18.16 denies a JOIN of two Distributed tables, Code 288).  Their writes
 * carry aggparams: insert_quorum = every node of the cluster, so what is
 * acknowledged is on every node.
 * A TRUNCATE of such a table (bot_logins, rewritten at open) is its one
 * partition dropped on the node we talk to, then a wait until every live
 * replica, that node's too, has applied the drop; never TRUNCATE ON
 * CLUSTER, which hung for good on 18.16 with two loaders at open: a
 * replica that is not the leader holds the table's lock while the leader
 * runs its TRUNCATE, and the leader, running the one of the other loader,
 * holds its own while it waits for every replica to drop, that one too,
 * which needs the lock (and no timeout ends either; each later statement
 * ON CLUSTER queues behind them).  DROP PARTITION holds no lock while it
 * waits, and only for the leader.
 * A CREATE ... IF NOT EXISTS whose object the server we talk to has
 * already is not sent: ON CLUSTER waits for every node, so a schema made
 * once lets a load go on while a node is down.
 *
 * Settings for a cluster (ch_cluster_open; sent with every request):
 *   insert_distributed_sync=1  an INSERT into a Distributed table
 *        returns once the shards hold the rows, not when they are queued
 *        on the node we talk to: the probe of the next attempt (ch_send.c)
 *        then sees them, and a node that dies loses no queued rows;
 *   insert_quorum=R (the fewest replicas a shard has, when 2 or more)
 *        an INSERT returns once every replica of its shard holds it, so
 *        a probe or a view read on any replica sees every acknowledged
 *        row (reads through a Distributed table otherwise lag the
 *        writes).  With a replica down nothing is stored: the load
 *        waits (-w) for it to come back, or stops saying why;
 *        insert_quorum_timeout=30000 bounds the wait of one INSERT;
 *   insert_deduplicate=0  the replicas' block de-duplication is off.
 *        The probe, which sync and quorum make see every stored row, is
 *        what keeps a retried batch from storing rows twice: a retry
 *        sends only what it finds missing.  Block de-duplication could
 *        only add a chance: loaded_at DEFAULT now() is part of a block,
 *        so an identical block (the same rows sent again) is caught only
 *        within the same second, by the clock.  Off, it also spares
 *        ZooKeeper a record per block.  Copies that reach the table all
 *        the same (two loaders racing) meet on one shard, where FINAL
 *        keeps one;
 *   distributed_ddl_task_timeout=-w (5 s at least)  a statement ON
 *        CLUSTER waits that long for every node (the server's default is
 *        180 s) before it fails, transiently: a schema still to be made
 *        while a node is down stops the load, saying how many nodes did
 *        not answer, and the node makes it when it comes back.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clickhouse.h"

static const char create_table[] = "CREATE TABLE IF NOT EXISTS ";
static const char create_view[] = "CREATE VIEW IF NOT EXISTS ";
static const char create_db[] = "CREATE DATABASE IF NOT EXISTS ";

#define CATCH_UP	600	/* tenths of s: the other replicas' catching up */

static int	catch_up(struct sink *, const char *, int, char *);

/* Tables whole on every node (see above). */
static const char *const everywhere[] = { "bot_logins", "agg_by_day",
	"agg_owner_repo", "agg_actor", "agg_created", "agg_marks",
	"archive_sources", NULL };

/* Run sql and read a number back into *v; 0, or -1 + err. */
static int
number(struct sink *s, const char *sql, unsigned long *v, char *err)
{
	struct gha_buf ans = { NULL, 0, 0 };
	int rc;

	if (ch_http_ask(s->h, sql, NULL, &ans, 4096, err) != 0) {
		gha_buf_free(&ans);
		return -1;
	}
	rc = sscanf(ans.p, "%lu", v) == 1 ? 0 : -1;
	if (rc != 0)
		snprintf(err, GHA_ERRLEN, "%s: unexpected answer to: %.60s",
		    ch_http_where(s->h), sql);
	gha_buf_free(&ans);
	return rc;
}

/*
 * Does the server we talk to have the table name[0..n) of the database
 * (isdb: the database name[0..n))?  The answer in *yes; 0, or -1 + err.
 */
static int
exists(struct sink *s, const char *name, size_t n, int isdb, int *yes,
    char *err)
{
	struct gha_buf q = { NULL, 0, 0 };
	unsigned long v = 0;
	int rc;

	if (isdb)
		gha_buf_adds(&q, "SELECT count() FROM system.databases WHERE "
		    "name = '");
	else {
		gha_buf_adds(&q, "SELECT count() FROM system.tables WHERE "
		    "database = '");
		gha_buf_adds(&q, s->db);
		gha_buf_adds(&q, "' AND name = '");
	}
	gha_buf_add(&q, name, n);	/* an identifier of the schema */
	gha_buf_adds(&q, "' FORMAT TabSeparated");
	gha_buf_addc(&q, '\0');
	rc = number(s, q.p, &v, err);
	*yes = v > 0;
	gha_buf_free(&q);
	return rc;
}

/* The name of "DB.name ..." at p: its start in *name, its length. */
static size_t
table_name(const char *p, const char **name)
{
	const char *dot = strchr(p, '.');

	*name = dot != NULL ? dot + 1 : p;
	return strcspn(*name, " (");
}

/* The length of what p holds before the ')' that closes a '(' before p. */
static size_t
inside(const char *p)
{
	size_t i;
	int depth = 0;

	for (i = 0; p[i] != '\0'; i++)
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && depth-- == 0)
			break;
	return i;
}

/* Is name[0..n) a table of everywhere[]? */
static int
whole(const char *name, size_t n)
{
	int i;

	for (i = 0; everywhere[i] != NULL; i++)
		if (strlen(everywhere[i]) == n &&
		    memcmp(everywhere[i], name, n) == 0)
			return 1;
	return 0;
}

/* " ON CLUSTER NAME" appended to b. */
static void
on_cluster(const struct sink *s, struct gha_buf *b)
{
	gha_buf_adds(b, " ON CLUSTER ");
	gha_buf_adds(b, s->cluster);
}

/* Run b (not NUL-terminated yet). */
static int
run(struct sink *s, struct gha_buf *b, char *err)
{
	gha_buf_addc(b, '\0');
	return ch_http_query(s->h, b->p, err);
}

/*
 * CREATE TABLE IF NOT EXISTS DB.t (cols) ENGINE = E[(args)] rest, its
 * ORDER BY last, as t_shard and the Distributed t over it (see above).
 */
static int
cluster_table(struct sink *s, const char *sql, struct gha_buf *b, char *err)
{
	const char *name, *cols, *eng, *args = "", *rest, *key;
	size_t nlen, elen, alen = 0, klen;
	int have, all;

	nlen = table_name(sql + sizeof(create_table) - 1, &name);
	cols = name + nlen;
	if ((eng = strstr(cols, " ENGINE = ")) == NULL ||
	    (key = strstr(cols, " ORDER BY ")) == NULL) {
		snprintf(err, GHA_ERRLEN, "no ENGINE or ORDER BY in: %.60s",
		    sql);
		return -1;
	}
	eng += 10;
	elen = strcspn(eng, " (");
	rest = eng + elen;
	if (*rest == '(') {
		args = rest + 1;
		alen = inside(args);
		rest = args + alen + (args[alen] == ')');
	}
	key += 10;
	klen = strcspn(key, " ");
	if (key[0] == '(') {
		key++;
		klen = inside(key);
	}

	if (exists(s, name, nlen, 0, &have, err) != 0)
		return -1;
	if (have)
		return 0;
	all = whole(name, nlen);
	b->n = 0;
	gha_buf_adds(b, create_table);
	gha_buf_adds(b, s->db);
	gha_buf_addc(b, '.');
	gha_buf_add(b, name, nlen);
	if (!all)
		gha_buf_adds(b, "_shard");
	on_cluster(s, b);
	gha_buf_add(b, cols, (size_t)(eng - cols));
	gha_buf_adds(b, "Replicated");
	gha_buf_add(b, eng, elen);
	gha_buf_adds(b, "('/clickhouse/tables/");
	gha_buf_adds(b, s->cluster);
	gha_buf_adds(b, all ? "/all/" : "/{shard}/");
	gha_buf_adds(b, s->db);
	gha_buf_addc(b, '/');
	gha_buf_add(b, name, nlen);
	gha_buf_adds(b, all ? "', '{shard}-{replica}'" : "', '{replica}'");
	if (alen > 0) {
		gha_buf_adds(b, ", ");
		gha_buf_add(b, args, alen);
	}
	gha_buf_addc(b, ')');
	gha_buf_adds(b, rest);
	if (run(s, b, err) != 0)
		return -1;
	if (all)
		return 0;

	b->n = 0;
	gha_buf_adds(b, create_table);
	gha_buf_adds(b, s->db);
	gha_buf_addc(b, '.');
	gha_buf_add(b, name, nlen);
	on_cluster(s, b);
	gha_buf_adds(b, " AS ");
	gha_buf_adds(b, s->db);
	gha_buf_addc(b, '.');
	gha_buf_add(b, name, nlen);
	gha_buf_adds(b, "_shard ENGINE = Distributed(");
	gha_buf_adds(b, s->cluster);
	gha_buf_adds(b, ", ");
	gha_buf_adds(b, s->db);
	gha_buf_adds(b, ", ");
	gha_buf_add(b, name, nlen);
	gha_buf_adds(b, "_shard, cityHash64(");
	gha_buf_add(b, key, klen);
	gha_buf_adds(b, "))");
	return run(s, b, err);
}

/*
 * "VERB DB.t rest" as "VERB DB.t_shard ON CLUSTER NAME rest" (shard set)
 * or "VERB DB.t ON CLUSTER NAME rest".
 */
static int
cluster_verb(struct sink *s, const char *sql, size_t verb, int shard,
    struct gha_buf *b, char *err)
{
	const char *name;
	size_t nlen;

	nlen = table_name(sql + verb, &name);
	b->n = 0;
	gha_buf_add(b, sql, (size_t)(name - sql) + nlen);
	if (shard && whole(name, nlen))
		return 0;	/* no t_shard; the verb on t does it all */
	if (shard)
		gha_buf_adds(b, "_shard");
	on_cluster(s, b);
	gha_buf_adds(b, name + nlen);
	return run(s, b, err);
}

/*
 * Run the statement sql of the schema: as it is on one server, in its
 * cluster form (see above) when the target names a cluster.  0, or -1 +
 * err.
 */
int
ch_ddl(struct sink *s, const char *sql, char *err)
{
	struct gha_buf b = { NULL, 0, 0 };
	char tbl[CH_IDENT_MAX + 1];
	const char *name;
	size_t nlen;
	int rc, have;

	if (s->cluster[0] == '\0')
		return ch_http_query(s->h, sql, err);
	if (strncmp(sql, create_table, sizeof(create_table) - 1) == 0)
		rc = cluster_table(s, sql, &b, err);
	else if (strncmp(sql, create_db, sizeof(create_db) - 1) == 0 ||
	    strncmp(sql, create_view, sizeof(create_view) - 1) == 0) {
		if (sql[7] == 'D') {
			name = sql + sizeof(create_db) - 1;
			nlen = strlen(name);
		} else
			nlen = table_name(sql + sizeof(create_view) - 1,
			    &name);
		rc = exists(s, name, nlen, sql[7] == 'D', &have, err);
		if (rc == 0 && !have)
			rc = cluster_verb(s, sql, sql[7] == 'D' ?
			    sizeof(create_db) - 1 : sizeof(create_view) - 1,
			    0, &b, err);
	} else if (strncmp(sql, "DROP TABLE IF EXISTS ", 21) == 0)
		rc = cluster_verb(s, sql, 21, 0, &b, err);
	else if (strncmp(sql, "TRUNCATE TABLE ", 15) == 0) {
		nlen = table_name(sql + 15, &name);
		if (whole(name, nlen)) {
			b.n = 0;
			gha_buf_adds(&b, "ALTER TABLE ");
			gha_buf_add(&b, sql + 15, (size_t)(name - sql - 15) +
			    nlen);
			gha_buf_adds(&b, " DROP PARTITION tuple()");
			gha_buf_addc(&b, '\0');
			memcpy(tbl, name, nlen);
			tbl[nlen] = '\0';
			rc = ch_http_query(s->h, b.p, err);
			if (rc == 0)
				rc = catch_up(s, tbl, 1, err);
		} else
			rc = cluster_verb(s, sql, 15, 1, &b, err);
	}
	else if (strncmp(sql, "ALTER TABLE ", 12) == 0) {
		rc = cluster_verb(s, sql, 12, 1, &b, err);
		if (rc == 0)
			rc = cluster_verb(s, sql, 12, 0, &b, err);
	} else
		rc = ch_http_query(s->h, sql, err);
	gha_buf_free(&b);
	return rc;
}

/*
 * The answer to sql in b, NUL-terminated (its first line only when
 * line), retrying transient failures; 0, or -1 + err.
 */
static int
answer(struct sink *s, const char *sql, struct gha_buf *b, int line,
    char *err)
{
	if (ch_http_ask(s->h, sql, NULL, b, 1u << 20, err) != 0)
		return -1;
	if (line)
		b->p[strcspn(b->p, "\n")] = '\0';
	return 0;
}

/*
 * On a cluster, wait until every other live replica of the table (one
 * of everywhere[]) has done what its log holds (ZooKeeper says: its
 * queue empty, its log pointer past the log's last entry): what was done
 * to it on the node we talk to (ch_rollup.c's swaps) is then on every
 * node.  A replica that is not active catches up when it comes back,
 * from the same log, in order.  0, or -1 + err.
 */
int
ch_cluster_catch_up(struct sink *s, const char *table, char *err)
{
	return catch_up(s, table, 0, err);
}

/* The same, of every live replica when self (the leader did the work). */
static int
catch_up(struct sink *s, const char *table, int self, char *err)
{
	struct gha_buf qb = { NULL, 0, 0 }, *q = &qb;
	struct gha_buf zk = { NULL, 0, 0 }, me = { NULL, 0, 0 };
	struct gha_buf names = { NULL, 0, 0 }, ans = { NULL, 0, 0 };
	char *r, *nl;
	int rc, tries, left;

	if (s->cluster[0] == '\0')
		return 0;
	q->n = 0;
	gha_buf_adds(q, "SELECT zookeeper_path, replica_name FROM "
	    "system.replicas WHERE database = '");
	gha_buf_adds(q, s->db);		/* an identifier */
	gha_buf_adds(q, "' AND table = '");
	gha_buf_adds(q, table);		/* an identifier */
	gha_buf_adds(q, "' FORMAT TabSeparated");
	gha_buf_addc(q, '\0');
	if ((rc = answer(s, q->p, &zk, 1, err)) != 0)
		goto out;
	rc = -1;
	if ((r = strchr(zk.p, '\t')) == NULL || strchr(zk.p, '\'') != NULL) {
		snprintf(err, GHA_ERRLEN, "%s: %s.%s is not replicated",
		    ch_http_where(s->h), s->db, table);
		goto out;
	}
	*r++ = '\0';
	gha_buf_adds(&me, r);
	gha_buf_addc(&me, '\0');
	for (tries = 0;; tries++) {
		q->n = 0;
		gha_buf_adds(q, "SELECT name FROM system.zookeeper WHERE "
		    "path = '");
		gha_buf_adds(q, zk.p);
		gha_buf_adds(q, "/replicas' FORMAT TabSeparated");
		gha_buf_addc(q, '\0');
		if ((rc = answer(s, q->p, &names, 0, err)) != 0)
			goto out;
		left = 0;
		for (r = names.p; (nl = strchr(r, '\n')) != NULL;
		    r = nl + 1) {
			*nl = '\0';
			if ((!self && strcmp(r, me.p) == 0) ||
			    strchr(r, '\'') != NULL)
				continue;
			/* Behind: active, and its queue or its pointer. */
			q->n = 0;
			gha_buf_adds(q, "SELECT (SELECT count() FROM "
			    "system.zookeeper WHERE path = '");
			gha_buf_adds(q, zk.p);
			gha_buf_adds(q, "/replicas/");
			gha_buf_adds(q, r);
			gha_buf_adds(q, "' AND name = 'is_active') > 0 AND "
			    "((SELECT count() FROM system.zookeeper WHERE "
			    "path = '");
			gha_buf_adds(q, zk.p);
			gha_buf_adds(q, "/replicas/");
			gha_buf_adds(q, r);
			gha_buf_adds(q, "/queue') > 0 OR (SELECT "
			    "toUInt64OrZero(any(value)) FROM system.zookeeper "
			    "WHERE path = '");
			gha_buf_adds(q, zk.p);
			gha_buf_adds(q, "/replicas/");
			gha_buf_adds(q, r);
			gha_buf_adds(q, "' AND name = 'log_pointer') <= (SELECT "
			    "if(count() > 0, toUInt64OrZero(substring(max(name), "
			    "5)), 0) - (count() = 0) FROM system.zookeeper "
			    "WHERE path = '");
			gha_buf_adds(q, zk.p);
			gha_buf_adds(q, "/log')) FORMAT TabSeparated");
			gha_buf_addc(q, '\0');
			if ((rc = answer(s, q->p, &ans, 1, err)) != 0)
				goto out;
			if (strcmp(ans.p, "1") == 0)
				left++;
		}
		if (left == 0)
			break;
		if (tries == CATCH_UP) {
			snprintf(err, GHA_ERRLEN, "%s: %d replica%s of "
			    "%s.%s did not catch up in %d s",
			    ch_http_where(s->h), left, left > 1 ? "s" : "",
			    s->db, table, CATCH_UP / 10);
			rc = -1;
			goto out;
		}
		usleep(100000);
	}
	rc = 0;
out:
	gha_buf_free(&qb);
	gha_buf_free(&zk);
	gha_buf_free(&me);
	gha_buf_free(&names);
	gha_buf_free(&ans);
	return rc;
}

/*
 * Check that the server we talk to knows the cluster, and set the
 * settings every request of a load into it carries (see above).
 */
int
ch_cluster_open(struct sink *s, int wait, char *err)
{
	struct gha_buf q = { NULL, 0, 0 };
	unsigned long replicas, nodes;
	char params[192];
	int ddl = wait > 5 ? wait : 5;
	int rc;

	s->wait = wait;
	if (s->cluster[0] == '\0')
		return 0;
	/* Its nodes: a row each in system.clusters. */
	gha_buf_adds(&q, "SELECT count() FROM system.clusters WHERE "
	    "cluster = '");
	gha_buf_adds(&q, s->cluster);	/* an identifier */
	gha_buf_adds(&q, "' FORMAT TabSeparated");
	gha_buf_addc(&q, '\0');
	if ((rc = number(s, q.p, &nodes, err)) == 0 && nodes == 0) {
		snprintf(err, GHA_ERRLEN, "%s: no cluster %s in the server's "
		    "remote_servers", ch_http_where(s->h), s->cluster);
		rc = -1;
	}
	if (rc == 0) {
		/* The fewest replicas of a shard. */
		q.n = 0;
		gha_buf_adds(&q, "SELECT min(n) FROM (SELECT shard_num, "
		    "count() AS n FROM system.clusters WHERE cluster = '");
		gha_buf_adds(&q, s->cluster);
		gha_buf_adds(&q, "' GROUP BY shard_num) FORMAT TabSeparated");
		gha_buf_addc(&q, '\0');
		rc = number(s, q.p, &replicas, err);
	}
	gha_buf_free(&q);
	if (rc != 0)
		return -1;
	if (replicas > 1)
		snprintf(params, sizeof(params), "insert_distributed_sync=1&"
		    "insert_quorum=%lu&insert_quorum_timeout=30000&"
		    "insert_deduplicate=0&distributed_ddl_task_timeout=%d",
		    replicas, ddl);
	else
		snprintf(params, sizeof(params), "insert_distributed_sync=1&"
		    "insert_deduplicate=0&distributed_ddl_task_timeout=%d",
		    ddl);
	ch_http_params(s->h, params);
	/* The aggregates' writes: every node (ch_rollup.c). */
	if (nodes > 1)
		snprintf(s->aggparams, sizeof(s->aggparams), "insert_quorum="
		    "%lu&insert_quorum_timeout=30000&"
		    "replication_alter_partitions_sync=1", nodes);
	return 0;
}
