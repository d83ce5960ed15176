/* Exact money: amounts are integers of a currency's minor units (cents), never floating point.
 * A CRM_F_MONEY field is stored as such an integer; its digits come from the record's currency
 * (crm_field.currency names that field: JPY 0, EUR 2, BHD 3); a CRM_F_DECIMAL field (a
 * quantity, a tax rate) is an integer scaled by a fixed number of digits (crm_field.scale).
 * Users read and write both as decimal text ("1234.56"), parsed and printed here without ever
 * going through a double. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#include <stddef.h>
#include "crm/error.h"

/* Every scale the engine knows fits this many decimals (filters compare at this scale). */
#define CRM_DEC_MAXDIGITS 4

/* The minor-unit digits of an ISO 4217 code (JPY 0, EUR 2, KWD 3, CLF 4); 2 for an unknown
 * code and for none (NULL or ""). */
int crm_currency_digits(const char *code);

/* A currency field's check (crm_field.norm): three ASCII letters, upper-cased. */
int crm_currency_norm(const char *in, char **out, struct crm_err *err);
/* The same, and the code must be one ISO 4217 lists (XYZ is refused, 6): a transaction's. */
int crm_currency_iso_norm(const char *in, char **out, struct crm_err *err);

/* Parse decimal text ("-1234.5", "0.05", "+3") into an integer of 10^-digits units. No
 * thousands separators, no exponent, no spaces. Returns 0, or:
 *   CRM_DEC_SYNTAX    not a decimal number
 *   CRM_DEC_DIGITS    more decimals than digits (non-zero ones: "1.50" is fine for 1 digit)
 *   CRM_DEC_RANGE     too large for 64 bits */
enum { CRM_DEC_OK, CRM_DEC_SYNTAX, CRM_DEC_DIGITS, CRM_DEC_RANGE };
int crm_dec_parse(const char *in, int digits, long long *out);

/* Text of v at scale digits: "1234.56", "-0.05", "1200" (digits 0). buf of 32 is enough. */
char *crm_dec_format(long long v, int digits, char *buf, size_t n);

/* a (scale da) times b (scale db), at scale dout, rounded half away from zero as an invoice
 * rounds; 0, or CRM_DEC_RANGE. */
int crm_dec_mul(long long a, int da, long long b, int db, int dout, long long *out);

/* v at scale from, at scale to (rounded half away from zero when to < from); 0 or CRM_DEC_RANGE. */
int crm_dec_rescale(long long v, int from, int to, long long *out);

/* Append to *sql (a struct strbuf) the SQL factor 10^(CRM_DEC_MAXDIGITS - digits of the
 * currency in column expression cur): a money value times it is at the common scale, so that
 * rows in JPY and in EUR compare with one bound number. Constants only, no user text. */
struct strbuf;
void crm_money_factor_sql(struct strbuf *sql, const char *cur);

/* The SQL expression over alias t giving the currency of money field f of kind k: its own
 * field ("currency": t.currency), or through a reference ("contract.currency": a contract
 * line's amounts are in its contract's currency); NULL when the field names none. */
struct crm_kind;
struct crm_field;
void crm_money_currency_sql(struct strbuf *sql, const struct crm_kind *k, const struct crm_field *f);

#endif
