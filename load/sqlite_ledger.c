/*
 * sqlite_ledger.c - the hour ledger in an SQLite file (see ledger.c).
 *
 * archive_hours has a row per archive hour, archive_sources one per hour
 * and source when there are several, archive_days one per day that
 * gha-daily has declared final or not (sqlite_schema.c makes them); a row
 * stored again replaces the one before (INSERT OR REPLACE), all the rows
 * of one gha-load -H in one transaction.  loaded_at is the time the row
 * was stored, SQLite's clock, in the form of created_at.
 */
#include <stdio.h>
#include <string.h>

#include "sqlite.h"

/* A count: -1 is null. */
static void
bind_count(sqlite3_stmt *st, int i, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/*
 * Columns 2 to 7 of an hour's row, in archive_hours as in
 * archive_sources: its name, status, events, the count in column 5
 * (bad lines, or the events only that source had), bytes, sha256.
 */
static void
bind_hour(sqlite3_stmt *st, const struct ledger_row *r, int64_t c5)
{
	char name[16];

	gha_hour_format(r->epoch, name);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, r->status, -1, SQLITE_STATIC);
	bind_count(st, 4, r->events);
	bind_count(st, 5, c5);
	bind_count(st, 6, r->bytes);
	if (r->sha256[0] != '\0')
		sqlite3_bind_text(st, 7, r->sha256, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 7);
}

/* Store ledger rows, one transaction; loaded_at is the time of storing. */
int
sq_ledger_put(struct sink *s, const struct ledger_row *rows, size_t n,
    char *err)
{
	static const char hsql[] = "INSERT OR REPLACE INTO archive_hours "
	    "(epoch, hour, status, events, bad_lines, bytes, sha256, "
	    "loaded_at, first, last, utc, utc_hours, union_events, id_gap) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', ?, 'unixepoch'), "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', ?, 'unixepoch'), ?, ?, ?, ?)";
	static const char ssql[] = "INSERT OR REPLACE INTO archive_sources "
	    "(epoch, hour, status, events, only_events, bytes, sha256, source, "
	    "loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
	static const char dsql[] = "INSERT OR REPLACE INTO archive_days "
	    "VALUES (date(?, 'unixepoch'), ?)";
	const struct ledger_row *r;
	sqlite3_stmt *h = NULL, *d = NULL, *so = NULL, *st;
	size_t i;
	int rc = SQLITE_OK;

	if (sqlite3_prepare_v2(s->db, hsql, -1, &h, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, dsql, -1, &d, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, ssql, -1, &so, NULL) != SQLITE_OK) {
		sq_dberr(s, "ledger", err);
		goto fail;
	}
	if (sq_exec(s, "BEGIN IMMEDIATE", err) != 0)
		goto fail;
	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		r = &rows[i];
		st = r->isday ? d : r->source[0] != '\0' ? so : h;
		sqlite3_bind_int64(st, 1, r->epoch);
		if (r->isday)
			sqlite3_bind_int(st, 2, r->final);
		else {
			/* An hour's first seven columns, then its own. */
			bind_hour(st, r, st == so ? r->only : r->bad_lines);
			if (st == so)
				sqlite3_bind_text(st, 8, r->source, -1,
				    SQLITE_STATIC);
			else {
				bind_count(st, 8, r->first);
				bind_count(st, 9, r->last);
				sqlite3_bind_int64(st, 10, r->utc);
				sqlite3_bind_int(st, 11, r->utc_hours);
				bind_count(st, 12, r->union_events);
				bind_count(st, 13, r->id_gap);
			}
		}
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(st);
	}
	if (rc != SQLITE_OK) {
		sq_dberr(s, "ledger", err);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	if (sq_exec(s, "COMMIT", err) != 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	sqlite3_finalize(h);
	sqlite3_finalize(d);
	sqlite3_finalize(so);
	return 0;
fail:
	sqlite3_finalize(h);
	sqlite3_finalize(d);
	sqlite3_finalize(so);
	return -1;
}

/* Column i as text into buf (empty for NULL). */
static void
text_col(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(buf, size, "%s", t != NULL ? (const char *)t : "");
}

/* A count column: -1 is null. */
static int64_t
count_col(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, i);
}

/* Every hour in time order, then every day, then every source's hour. */
int
sq_ledger_get(struct sink *s, ledger_fn fn, void *arg, char *err)
{
	static const char *const sql[] = {
		"SELECT epoch, status, events, bad_lines, bytes, sha256, "
		"loaded_at, CAST(strftime('%s', first) AS INTEGER), "
		"CAST(strftime('%s', last) AS INTEGER), utc, utc_hours, "
		"union_events, id_gap "
		"FROM archive_hours ORDER BY epoch",
		"SELECT CAST(strftime('%s', day) AS INTEGER), final "
		"FROM archive_days ORDER BY day",
		"SELECT epoch, status, events, only_events, bytes, sha256, "
		"loaded_at, source FROM archive_sources ORDER BY epoch, source",
	};
	struct ledger_row r;
	sqlite3_stmt *st;
	int i, rc;

	for (i = 0; i < 3; i++) {
		if (sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) !=
		    SQLITE_OK) {
			sq_dberr(s, "ledger", err);
			return -1;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			memset(&r, 0, sizeof(r));
			r.isday = i == 1;
			r.epoch = sqlite3_column_int64(st, 0);
			r.union_events = r.id_gap = r.only = -1;
			if (i == 1)
				r.final = sqlite3_column_int(st, 1);
			else if (i == 2) {
				text_col(st, 1, r.status, sizeof(r.status));
				r.events = count_col(st, 2);
				r.only = count_col(st, 3);
				r.bytes = count_col(st, 4);
				r.bad_lines = -1;
				text_col(st, 5, r.sha256, sizeof(r.sha256));
				text_col(st, 6, r.loaded_at, sizeof(r.loaded_at));
				text_col(st, 7, r.source, sizeof(r.source));
			} else {
				text_col(st, 1, r.status, sizeof(r.status));
				r.events = count_col(st, 2);
				r.bad_lines = count_col(st, 3);
				r.bytes = count_col(st, 4);
				text_col(st, 5, r.sha256, sizeof(r.sha256));
				text_col(st, 6, r.loaded_at, sizeof(r.loaded_at));
				r.first = count_col(st, 7);
				r.last = count_col(st, 8);
				r.utc = sqlite3_column_int64(st, 9);
				r.utc_hours = sqlite3_column_int(st, 10);
				r.union_events = count_col(st, 11);
				r.id_gap = count_col(st, 12);
			}
			if (fn(&r, arg) != 0)
				break;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			sq_dberr(s, "ledger", err);
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
	}
	return 0;
}
