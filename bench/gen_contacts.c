/* Deterministic generator of N synthetic contacts as CSV on stdout, for the import benchmark and
 * the tests: names with accents, quoted commas, embedded quotes and a few multi-line notes.
 * Usage: gen_contacts N [SEED] [ACCOUNTS]
 * ACCOUNTS > 0 fills the Account column with one of that many names, "Account 01 GmbH" ... */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long state;

/* xorshift64*: the same N and seed always give the same file. */
static unsigned long long next_random(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 2685821657736338717ULL;
}

static const char *pick(const char *const *list, size_t n)
{
	return list[next_random() % n];
}

#define PICK(list) pick(list, sizeof list / sizeof list[0])

static const char *const first_names[] = {
	"Ann", "José", "Zoë", "François", "Łukasz", "Øyvind", "Søren", "Chloé", "Müge", "Björn",
	"Renée", "Đorđe", "Inês", "Ana", "John", "Mary", "Ahmed", "Yūki", "Siobhán", "Piotr",
	"Emma", "Noah", "Liam", "Olivia", "Mateo", "Sofía", "Jürgen", "Ægir", "Nuño", "Chiara",
};
/* ASCII spellings for the e-mail addresses, in the same order. */
static const char *const first_ascii[] = {
	"ann", "jose", "zoe", "francois", "lukasz", "oyvind", "soren", "chloe", "muge", "bjorn",
	"renee", "dorde", "ines", "ana", "john", "mary", "ahmed", "yuki", "siobhan", "piotr",
	"emma", "noah", "liam", "olivia", "mateo", "sofia", "jurgen", "aegir", "nuno", "chiara",
};
static const char *const last_names[] = {
	"Smith", "Müller", "O'Brien", "García", "Nowak", "Øster", "Dubois", "Rossi", "Kovačević",
	"Yılmaz", "Andersson", "Smith, Jr.", "de la Cruz", "Núñez", "Ng", "Papadopoulos", "Björk",
	"Fernández", "Schäfer", "Lefèvre",
};
static const char *const last_ascii[] = {
	"smith", "muller", "obrien", "garcia", "nowak", "oster", "dubois", "rossi", "kovacevic",
	"yilmaz", "andersson", "smithjr", "delacruz", "nunez", "ng", "papadopoulos", "bjork",
	"fernandez", "schafer", "lefevre",
};
static const char *const titles[] = {
	"CEO", "CTO", "Buyer", "Head of \"Special\" Projects", "Sales Manager, EMEA", "Engineer",
	"Directeur général", "Einkäufer", "", "Office manager",
};
static const char *const stages[] = { "lead", "prospect", "customer", "former" };
static const char *const notes[] = {
	"", "", "", "", "Met at the fair", "Prefers e-mail, never calls", "=not a formula",
	"Said \"call me in May\"", "Line one\nline two", "Café owner; speaks français",
};

/* A CSV cell: quoted when it holds a comma, a quote or a line break, quotes doubled. */
static void cell(const char *s, int last)
{
	int quote = 0;
	for (const char *p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = 1;
	if (quote) {
		putchar('"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_contacts N [SEED] [ACCOUNTS]\n");
		return 2;
	}
	long long n = atoll(argv[1]);
	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 20261125;
	if (!state)
		state = 1;
	long long accounts = argc > 3 ? atoll(argv[3]) : 0;
	char account[48] = "";
	/* Account (unless ACCOUNTS is given) and Location are empty (people not placed yet) but
	 * present, so that sqlite3's .import fills a table with all the indexes of crm's contacts
	 * table. */
	puts("First Name,Last Name,E-mail,Phone,Mobile,Job Title,Account,Location,Lifecycle Stage,Notes");
	char email[128], phone[32], mobile[32];
	for (long long i = 1; i <= n; i++) {
		size_t f = next_random() % (sizeof first_names / sizeof first_names[0]);
		size_t l = next_random() % (sizeof last_names / sizeof last_names[0]);
		snprintf(email, sizeof email, "%s.%s.%lld@example%llu.com", first_ascii[f], last_ascii[l], i,
			 next_random() % 97);
		snprintf(phone, sizeof phone, "+49 30 %07llu", next_random() % 10000000);
		snprintf(mobile, sizeof mobile, "0170 %07llu", next_random() % 10000000);
		cell(first_names[f], 0);
		cell(last_names[l], 0);
		cell(email, 0);
		cell(phone, 0);
		cell(i % 3 ? mobile : "", 0);
		cell(PICK(titles), 0);
		if (accounts > 0)
			snprintf(account, sizeof account, "Account %02lld GmbH", 1 + i % accounts);
		cell(account, 0);
		cell("", 0);
		cell(PICK(stages), 0);
		cell(PICK(notes), 1);
	}
	return 0;
}
