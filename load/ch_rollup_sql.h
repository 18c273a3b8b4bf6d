/*
 * ch_rollup_sql.h - the SQL of ClickHouse's metric aggregates
 * (ch_rollup_sql.c), templates that ch_rollup.c expands.
 */
#ifndef CH_ROLLUP_SQL_H
#define CH_ROLLUP_SQL_H

extern const char *const ch_agg_tables[];	/* NULL-ended */
extern const char *const ch_agg_old_views[];	/* NULL-ended */
extern const char *const ch_agg_recompute[];	/* NULL-ended */
extern const char ch_agg_zeropushes[];
extern const char ch_agg_due[];
extern const char ch_agg_sets[];
extern const char ch_agg_swap[];

#endif /* CH_ROLLUP_SQL_H */
