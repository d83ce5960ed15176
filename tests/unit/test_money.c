/* Unit tests of core/money.c: exact decimal text in and out, invoice rounding, currencies'
 * minor units; the values that break floating point. */
#include <limits.h>
#include <stdlib.h>
#include "crm/money.h"
#include "unit.h"

static const char *fmt(long long v, int digits)
{
	static char buf[32];
	return crm_dec_format(v, digits, buf, sizeof buf);
}

static long long parse(const char *s, int digits, int want_rc)
{
	long long v = -999;
	int rc = crm_dec_parse(s, digits, &v);
	CHECK_INT(rc, want_rc);
	if (rc != want_rc)
		fprintf(stderr, "  parsing '%s' at %d digits\n", s, digits);
	return v;
}

static long long mul(long long a, int da, long long b, int db, int dout)
{
	long long v = 0;
	CHECK_INT(crm_dec_mul(a, da, b, db, dout, &v), CRM_DEC_OK);
	return v;
}

int main(void)
{
	/* parsing: exact, at the field's scale */
	CHECK_INT(parse("1234.56", 2, CRM_DEC_OK), 123456);
	CHECK_INT(parse("0.1", 2, CRM_DEC_OK), 10);
	CHECK_INT(parse("-0.05", 2, CRM_DEC_OK), -5);
	CHECK_INT(parse("+3", 2, CRM_DEC_OK), 300);
	CHECK_INT(parse(".5", 2, CRM_DEC_OK), 50);
	CHECK_INT(parse("1.50", 1, CRM_DEC_OK), 15); /* trailing zeros are not decimals */
	CHECK_INT(parse("1000", 0, CRM_DEC_OK), 1000);
	CHECK_INT(parse("92233720368547.75", 2, CRM_DEC_OK), 9223372036854775LL);
	CHECK_INT(parse("92233720368547758.07", 2, CRM_DEC_OK), LLONG_MAX);
	parse("92233720368547758.08", 2, CRM_DEC_RANGE);
	parse("1.005", 2, CRM_DEC_DIGITS);
	parse("10.5", 0, CRM_DEC_DIGITS);
	static const char *const bad[] = { "", "-", ".", "1.", "1,000.00", "1 000", " 1", "1e3", "0x10", "nan", "inf",
					   "1.2.3", "--1", "12abc", NULL };
	for (int i = 0; bad[i]; i++)
		parse(bad[i], 2, CRM_DEC_SYNTAX);

	/* printing: exact, the scale's digits */
	CHECK_STR(fmt(123456, 2), "1234.56");
	CHECK_STR(fmt(5, 2), "0.05");
	CHECK_STR(fmt(-5, 2), "-0.05");
	CHECK_STR(fmt(0, 2), "0.00");
	CHECK_STR(fmt(1200, 0), "1200");
	CHECK_STR(fmt(1005, 3), "1.005");
	CHECK_STR(fmt(LLONG_MIN + 1, 2), "-92233720368547758.07");
	CHECK_STR(fmt(9223372036854775LL, 2), "92233720368547.75");

	/* 0.1 + 0.2 is 0.30; 19.99 x 3 is 59.97 */
	CHECK_STR(fmt(parse("0.1", 2, 0) + parse("0.2", 2, 0), 2), "0.30");
	CHECK_STR(fmt(mul(1999, 2, 3000, 3, 2), 2), "59.97");
	/* half away from zero, as an invoice rounds: 1.005 x 1 at 2 digits, 0.5 x 0.01, negatives */
	CHECK_STR(fmt(mul(1005, 3, 1, 0, 2), 2), "1.01");
	CHECK_STR(fmt(mul(1, 2, 500, 3, 2), 2), "0.01");
	CHECK_STR(fmt(mul(-1, 2, 500, 3, 2), 2), "-0.01");
	CHECK_STR(fmt(mul(1, 2, 499, 3, 2), 2), "0.00");
	CHECK_STR(fmt(mul(1000005, 2, 25, 0, 2) , 2), "250001.25"); /* 10000.05 x 25 */
	/* the product of two large values is held in 128 bits before it is rounded */
	CHECK_STR(fmt(mul(9223372036854775LL, 2, 1000, 3, 2), 2), "92233720368547.75");
	long long out;
	CHECK_INT(crm_dec_mul(9223372036854775LL, 2, 10000, 0, 2, &out), CRM_DEC_RANGE);
	CHECK_INT(crm_dec_rescale(1234, 2, 0, &out), CRM_DEC_OK);
	CHECK_INT(out, 12);
	CHECK_INT(crm_dec_rescale(1250, 2, 0, &out), CRM_DEC_OK);
	CHECK_INT(out, 13);

	/* currencies: ISO 4217 minor units */
	CHECK_INT(crm_currency_digits("EUR"), 2);
	CHECK_INT(crm_currency_digits("jpy"), 0);
	CHECK_INT(crm_currency_digits("KWD"), 3);
	CHECK_INT(crm_currency_digits("BHD"), 3);
	CHECK_INT(crm_currency_digits("RON"), 2);
	CHECK_INT(crm_currency_digits(NULL), 2);
	CHECK_INT(crm_currency_digits(""), 2);
	char *c = NULL;
	struct crm_err err = { 0 };
	CHECK_INT(crm_currency_norm("ron", &c, &err), CRM_OK);
	CHECK_STR(c, "RON");
	free(c);
	CHECK_INT(crm_currency_norm("euro", &c, &err), CRM_EINVALID);
	CHECK_INT(crm_currency_norm("E1R", &c, &err), CRM_EINVALID);
	CHECK_INT(crm_currency_norm("\xc3\x89UR", &c, &err), CRM_EINVALID);
	return UNIT_DONE();
}
