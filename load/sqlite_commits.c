/*
 * sqlite_commits.c - resolved commit counts in an SQLite file
 * (gha-load --commits, see commits.c).
 *
 * Rows go into push_commits, all of one call in one transaction; a push
 * already stored is ignored (its count never changes).  Each new row
 * marks its push's day in agg_dirty in the same transaction, so a
 * resolution that arrives after the day was rolled up has the day
 * rolled up again (rollup.c), here at once and, if this is killed,
 * at the next open.
 */
#include <stdio.h>
#include <string.h>

#include "rollup.h"
#include "sqlite.h"

int
sq_commits_put(struct sink *s, const struct commit_row *rows, size_t n,
    struct load_stats *st, char *err)
{
	static const char isql[] = "INSERT OR IGNORE INTO push_commits "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
	static const char msql[] = "INSERT OR IGNORE INTO agg_dirty "
	    "VALUES (?)";
	const struct commit_row *r;
	sqlite3_stmt *ins = NULL, *mark = NULL;
	unsigned long long added = 0;
	size_t i;
	int rc = SQLITE_OK, days;

	if (sqlite3_prepare_v2(s->db, isql, -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, msql, -1, &mark, NULL) != SQLITE_OK) {
		sq_dberr(s, "push_commits", err);
		goto fail;
	}
	if (sq_exec(s, "BEGIN IMMEDIATE", err) != 0)
		goto fail;
	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		r = &rows[i];
		sqlite3_bind_int64(ins, 1, r->push_id);
		sqlite3_bind_text(ins, 2, r->head, 40, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, r->repo, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, r->created);
		sqlite3_bind_text(ins, 5, r->before, 40, SQLITE_STATIC);
		if (r->commits < 0)
			sqlite3_bind_null(ins, 6);
		else
			sqlite3_bind_int64(ins, 6, r->commits);
		sqlite3_bind_text(ins, 7, r->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, r->state, -1, SQLITE_STATIC);
		rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(ins);
		if (rc != SQLITE_OK || sqlite3_changes(s->db) == 0)
			continue;
		added++;
		sqlite3_bind_int64(mark, 1, ROLLUP_DAY(r->created));
		rc = sqlite3_step(mark) == SQLITE_DONE ? SQLITE_OK :
		    SQLITE_ERROR;
		sqlite3_reset(mark);
	}
	if (rc != SQLITE_OK) {
		sq_dberr(s, "push_commits", err);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	if (sq_exec(s, "COMMIT", err) != 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(mark);
	st->inserted += added;
	st->duplicates += n - added;
	if (rollup_dirty(s->db, s->path, NULL, &days, NULL, err) != 0)
		return -1;
	st->days += (unsigned long long)days;
	return 0;
fail:
	sqlite3_finalize(ins);
	sqlite3_finalize(mark);
	return -1;
}
