/*
 * ledger.h - gha-load -H and -Q over any sink (ledger.c).
 */
#ifndef GHA_LEDGER_H
#define GHA_LEDGER_H

#include "sink.h"

int	ledger_run(const struct sink_ops *ops, struct sink *sink, int put);

#endif
