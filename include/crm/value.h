/* A typed cell: what the printers receive, so JSON and Excel can keep numbers as numbers. */
#ifndef CRM_VALUE_H
#define CRM_VALUE_H

enum crm_vtype {
	CRM_V_NULL = 0,
	CRM_V_TEXT,
	CRM_V_INT,   /* text holds a decimal integer */
	CRM_V_REAL,  /* text holds a decimal number */
	CRM_V_BOOL,  /* text is "1"/"0" (or "true"/"false") */
	CRM_V_DATE,  /* text is "YYYY-MM-DD" */
	CRM_V_TIME,  /* text is a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" */
	CRM_V_LIST,  /* text holds items separated by CRM_LIST_SEP ("" is the empty list): the
		      * labels of a link field; an array in json/yaml, joined by ", " elsewhere */
};

#define CRM_LIST_SEP '\x1f' /* ASCII unit separator: never part of a label */
#define CRM_LIST_SEP_STR "\x1f"
/* A value given to a list or links field may separate its items so (an imported JSON array)
 * instead of by commas, when an item holds a comma. */

struct crm_value {
	enum crm_vtype type;
	const char *text; /* NULL for CRM_V_NULL; always the textual form otherwise */
};

#endif
