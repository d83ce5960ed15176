/* "Did you mean" (include/crm/near.h). */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "crm/near.h"

#define LONGEST 64

size_t crm_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la >= LONGEST || lb >= LONGEST)
		return (size_t)-1 / 2;
	size_t d[LONGEST + 1][LONGEST + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int x = tolower((unsigned char)a[i - 1]), y = tolower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j - 1] + (x != y);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && x == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == y && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

size_t crm_nearness(const char *word, const char *name)
{
	size_t n = strlen(word), m = strlen(name);
	if (n >= 2 && n < m && strncasecmp(name, word, n) == 0)
		return 1;
	size_t d = crm_distance(word, name);
	if (d == 0) /* the same but for case: a hint, unless it is the very word */
		return strcmp(word, name) != 0;
	return d <= 2 && 2 * d < m ? d : 0;
}

const char *crm_near(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bestd = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = names[i] ? crm_nearness(word, names[i]) : 0;
		if (d && d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	return best;
}
