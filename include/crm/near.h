/* "Did you mean": the one measure of how near a misspelt word is to a real one, for commands,
 * options, fields, settings and columns alike. */
#ifndef CRM_NEAR_H
#define CRM_NEAR_H

#include <stddef.h>

/* Edits between two short words (optimal string alignment: a swap of two neighbouring letters
 * is one edit), ASCII letters compared without case. Words of 64 bytes or more are far apart. */
size_t crm_distance(const char *a, const char *b);
/* Is `name` a likely meaning of the misspelt `word`: at most two edits and fewer than half the
 * name's letters, or `word` (two letters or more) the start of it? 0 if not, else the
 * distance (a start counts as 1), smaller being nearer. */
size_t crm_nearness(const char *word, const char *name);
/* The nearest of n names to word by crm_nearness (the first of equals), or NULL. */
const char *crm_near(const char *word, const char *const *names, size_t n);

#endif
