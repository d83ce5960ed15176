/* Exact money: integers of minor units, decimal text in and out (crm/money.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/kind.h"
#include "crm/money.h"
#include "util.h"

/* ISO 4217 codes whose minor unit is not two digits. */
static const struct {
	char code[4];
	int digits;
} minor[] = {
	{ "BHD", 3 }, { "BIF", 0 }, { "CLF", 4 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "IQD", 3 },
	{ "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 }, { "KMF", 0 }, { "KRW", 0 }, { "KWD", 3 }, { "LYD", 3 },
	{ "OMR", 3 }, { "PYG", 0 }, { "RWF", 0 }, { "TND", 3 }, { "UGX", 0 }, { "UYI", 0 }, { "UYW", 4 },
	{ "VND", 0 }, { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 }, { "XPF", 0 },
};

int crm_currency_digits(const char *code)
{
	if (!code || !*code)
		return 2;
	for (size_t i = 0; i < sizeof minor / sizeof *minor; i++)
		if (strcasecmp(minor[i].code, code) == 0)
			return minor[i].digits;
	return 2;
}

int crm_currency_norm(const char *in, char **out, struct crm_err *err)
{
	*out = NULL;
	if (strlen(in) != 3 || !isalpha((unsigned char)in[0]) || !isalpha((unsigned char)in[1]) ||
	    !isalpha((unsigned char)in[2]) || (in[0] & 0x80) || (in[1] & 0x80) || (in[2] & 0x80))
		return crm_error(err, CRM_EINVALID, "currency '%s' is not an ISO 4217 code (three letters: EUR, RON, JPY)",
				 in);
	char c[4] = { (char)toupper((unsigned char)in[0]), (char)toupper((unsigned char)in[1]),
		      (char)toupper((unsigned char)in[2]), 0 };
	*out = xstrdup(c);
	return CRM_OK;
}

#define MAXV 9223372036854775807LL

int crm_dec_parse(const char *in, int digits, long long *out)
{
	const char *p = in;
	int neg = 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return CRM_DEC_SYNTAX;
	unsigned long long v = 0;
	int range = 0;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (unsigned long long)MAXV / 10)
			range = 1;
		v = v * 10 + (unsigned)(*p - '0');
		if (v > (unsigned long long)MAXV)
			range = 1;
	}
	int frac = 0, excess = 0;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return CRM_DEC_SYNTAX;
		for (; isdigit((unsigned char)*p); p++) {
			if (frac >= digits) {
				excess |= *p != '0';
				continue;
			}
			if (v > (unsigned long long)MAXV / 10)
				range = 1;
			v = v * 10 + (unsigned)(*p - '0');
			if (v > (unsigned long long)MAXV)
				range = 1;
			frac++;
		}
	}
	if (*p)
		return CRM_DEC_SYNTAX;
	if (excess)
		return CRM_DEC_DIGITS;
	for (; frac < digits; frac++) {
		if (v > (unsigned long long)MAXV / 10)
			range = 1;
		v *= 10;
	}
	if (range || v > (unsigned long long)MAXV)
		return CRM_DEC_RANGE;
	*out = neg ? -(long long)v : (long long)v;
	return CRM_DEC_OK;
}

char *crm_dec_format(long long v, int digits, char *buf, size_t n)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	char tmp[32];
	int len = 0;
	do {
		tmp[len++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || len <= digits);
	size_t o = 0;
	if (v < 0 && o + 1 < n)
		buf[o++] = '-';
	for (int i = len - 1; i >= 0 && o + 2 < n; i--) {
		buf[o++] = tmp[i];
		if (i == digits && digits > 0)
			buf[o++] = '.';
	}
	buf[o] = '\0';
	return buf;
}

__extension__ typedef __int128 i128;

static long long pow10ll(int e)
{
	long long p = 1;
	while (e-- > 0)
		p *= 10;
	return p;
}

/* q / d rounded half away from zero (d > 0). */
static i128 div_round(i128 q, i128 d)
{
	i128 r = q / d, m = q % d;
	if (m < 0)
		m = -m;
	if (2 * m >= d)
		r += q < 0 ? -1 : 1;
	return r;
}

static int fit(i128 v, long long *out)
{
	if (v > (i128)MAXV || v < -(i128)MAXV)
		return CRM_DEC_RANGE;
	*out = (long long)v;
	return CRM_DEC_OK;
}

int crm_dec_mul(long long a, int da, long long b, int db, int dout, long long *out)
{
	i128 p = (i128)a * (i128)b;
	int s = da + db;
	if (s > dout)
		p = div_round(p, pow10ll(s - dout));
	else
		for (int i = s; i < dout; i++) {
			if (p > (i128)MAXV || p < -(i128)MAXV)
				return CRM_DEC_RANGE;
			p *= 10;
		}
	return fit(p, out);
}

int crm_dec_rescale(long long v, int from, int to, long long *out)
{
	return crm_dec_mul(v, from, 1, 0, to, out);
}

void crm_money_factor_sql(struct strbuf *sql, const char *cur)
{
	sb_add(sql, "(CASE");
	for (int d = 0; d <= CRM_DEC_MAXDIGITS; d++) {
		int any = 0;
		if (d == 2)
			continue; /* ELSE */
		for (size_t i = 0; i < sizeof minor / sizeof *minor; i++) {
			if (minor[i].digits != d)
				continue;
			if (!any++)
				sb_addf(sql, " WHEN upper(%s) IN (", cur);
			sb_addf(sql, "%s'%s'", any > 1 ? ", " : "", minor[i].code);
		}
		if (any)
			sb_addf(sql, ") THEN %lld", pow10ll(CRM_DEC_MAXDIGITS - d));
	}
	sb_addf(sql, " ELSE %lld END)", pow10ll(CRM_DEC_MAXDIGITS - 2));
}

void crm_money_currency_sql(struct strbuf *sql, const struct crm_kind *k, const struct crm_field *f)
{
	const char *dot = f->currency ? strchr(f->currency, '.') : NULL;
	if (!f->currency) {
		sb_add(sql, "NULL");
		return;
	}
	if (!dot) {
		const struct crm_field *cf = crm_kind_field(k, f->currency, NULL);
		sb_addf(sql, "t.%s", cf ? cf->column : "NULL");
		return;
	}
	char ref[64];
	snprintf(ref, sizeof ref, "%.*s", (int)(dot - f->currency), f->currency);
	const struct crm_field *rf = crm_kind_field(k, ref, NULL);
	const struct crm_kind *rk = rf && rf->ref ? crm_kind_find(rf->ref) : NULL;
	const struct crm_field *cf = rk ? crm_kind_field(rk, dot + 1, NULL) : NULL;
	if (!cf) {
		sb_add(sql, "NULL");
		return;
	}
	sb_addf(sql, "(SELECT cr.%s FROM %s cr WHERE cr.id = t.%s)", cf->column, rk->table, rf->column);
}

/* The ISO 4217 codes in use (and the funds and metals codes), for fields that must name a real
 * currency: a transaction's. */
static const char iso4217[] =
	"AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
	"CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
	"GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW "
	"KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN "
	"NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL "
	"SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES "
	"VND VUV WST XAF XAG XAU XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL ";

int crm_currency_iso_norm(const char *in, char **out, struct crm_err *err)
{
	int rc = crm_currency_norm(in, out, err);
	if (rc)
		return rc;
	char key[5];
	snprintf(key, sizeof key, "%s ", *out);
	for (const char *p = iso4217; *p; p += 4)
		if (strncmp(p, key, 4) == 0)
			return CRM_OK;
	free(*out);
	*out = NULL;
	return crm_error(err, CRM_EINVALID, "unknown currency '%s' (not an ISO 4217 code: EUR, USD, RON, JPY)", in);
}
