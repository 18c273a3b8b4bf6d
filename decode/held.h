/*
 * held.h - records held back until their input is proven (held.c).
 */
#ifndef HELD_H
#define HELD_H

#include <stdio.h>

struct gha_buf;
FILE	*held_open(void);
void	 held_ewrite(FILE *fp, struct gha_buf *b);
void	 held_release(FILE *fp);
void	 held_drop(FILE *fp);
void	 held_wait(void);

#endif /* HELD_H */
