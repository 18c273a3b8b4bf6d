/*
 * event.h - one archive event (any era) to one flat record.
 */
#ifndef GHA_EVENT_H
#define GHA_EVENT_H

#include "gha.h"

enum {
	GHA_EV_OK = 0,		/* a record was appended */
	GHA_EV_JSON = -1,	/* the line is not one valid JSON object */
	GHA_EV_EVENT = -2,	/* valid JSON, but not an event we can key */
	GHA_EV_FLAT = -3,	/* a flat record: decoded already */
};

int	gha_event_flatten(const char *line, size_t n, const char *src,
	    struct gha_buf *out, char *err);

#endif
