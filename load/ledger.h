/*
 * ledger.h - gha-load -H and -Q over any sink (ledger.c).
 */
#ifndef GHA_LEDGER_H
#define GHA_LEDGER_H

#include "sink.h"

void	ledger_utc(int64_t name, int64_t first, int64_t *utc, int *n);
int	ledger_run(const struct sink_ops *ops, struct sink *sink, int put);

#endif
