/*
 * commits.h - gha-load --commits over any sink (commits.c).
 */
#ifndef GHA_LOAD_COMMITS_H
#define GHA_LOAD_COMMITS_H

#include "sink.h"

int	commits_run(const struct sink_ops *ops, struct sink *sink, int quiet);

#endif
