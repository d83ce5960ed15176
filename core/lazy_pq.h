/* Private to core/: libpq (PostgreSQL), loaded with dlopen when a command opens a postgresql://
 * database (core/lazy.c). Linked, it and what it needs (libssl, libcrypto, GSSAPI, LDAP) would be
 * loaded into every process, SQLite users' included. Include after <libpq-fe.h>: its functions
 * become calls through a table that crm_lazy_pq() fills. */
#ifndef CRM_CORE_LAZY_PQ_H
#define CRM_CORE_LAZY_PQ_H

#include "crm/error.h"

#define CRM_LAZY_PQ_FNS(X) \
	X(PQclear) \
	X(PQcmdTuples) \
	X(PQconnectdb) \
	X(PQerrorMessage) \
	X(PQexec) \
	X(PQexecParams) \
	X(PQexecPrepared) \
	X(PQfinish) \
	X(PQftype) \
	X(PQgetisnull) \
	X(PQgetvalue) \
	X(PQnfields) \
	X(PQntuples) \
	X(PQprepare) \
	X(PQresultErrorField) \
	X(PQresultErrorMessage) \
	X(PQresultStatus) \
	X(PQsetNoticeProcessor) \
	X(PQstatus) \
	X(PQtransactionStatus) \
	X(PQgetResult) \
	X(PQsendQueryParams) \
	X(PQsendQueryPrepared) \
	X(PQsetSingleRowMode) \
	X(PQenterPipelineMode) \
	X(PQexitPipelineMode) \
	X(PQpipelineStatus) \
	X(PQpipelineSync) \
	X(PQlibVersion) \
	X(lo_close) \
	X(lo_creat) \
	X(lo_lseek64) \
	X(lo_open) \
	X(lo_read) \
	X(lo_truncate64) \
	X(lo_write)

struct crm_lazy_pq {
#define CRM_LAZY_SLOT(f) __typeof__(f) *f;
	CRM_LAZY_PQ_FNS(CRM_LAZY_SLOT)
#undef CRM_LAZY_SLOT
};
extern struct crm_lazy_pq crm_lazy_pq_fns;

/* Load libpq (once): CRM_OK, or CRM_EFAIL saying it cannot be loaded. */
int crm_lazy_pq(struct crm_err *err);

#ifndef CRM_LAZY_NO_MACROS
#define PQclear (crm_lazy_pq_fns.PQclear)
#define PQcmdTuples (crm_lazy_pq_fns.PQcmdTuples)
#define PQconnectdb (crm_lazy_pq_fns.PQconnectdb)
#define PQerrorMessage (crm_lazy_pq_fns.PQerrorMessage)
#define PQexec (crm_lazy_pq_fns.PQexec)
#define PQexecParams (crm_lazy_pq_fns.PQexecParams)
#define PQexecPrepared (crm_lazy_pq_fns.PQexecPrepared)
#define PQfinish (crm_lazy_pq_fns.PQfinish)
#define PQftype (crm_lazy_pq_fns.PQftype)
#define PQgetisnull (crm_lazy_pq_fns.PQgetisnull)
#define PQgetvalue (crm_lazy_pq_fns.PQgetvalue)
#define PQnfields (crm_lazy_pq_fns.PQnfields)
#define PQntuples (crm_lazy_pq_fns.PQntuples)
#define PQprepare (crm_lazy_pq_fns.PQprepare)
#define PQresultErrorField (crm_lazy_pq_fns.PQresultErrorField)
#define PQresultErrorMessage (crm_lazy_pq_fns.PQresultErrorMessage)
#define PQresultStatus (crm_lazy_pq_fns.PQresultStatus)
#define PQsetNoticeProcessor (crm_lazy_pq_fns.PQsetNoticeProcessor)
#define PQstatus (crm_lazy_pq_fns.PQstatus)
#define PQtransactionStatus (crm_lazy_pq_fns.PQtransactionStatus)
#define PQgetResult (crm_lazy_pq_fns.PQgetResult)
#define PQsendQueryParams (crm_lazy_pq_fns.PQsendQueryParams)
#define PQsendQueryPrepared (crm_lazy_pq_fns.PQsendQueryPrepared)
#define PQsetSingleRowMode (crm_lazy_pq_fns.PQsetSingleRowMode)
#define PQenterPipelineMode (crm_lazy_pq_fns.PQenterPipelineMode)
#define PQexitPipelineMode (crm_lazy_pq_fns.PQexitPipelineMode)
#define PQpipelineStatus (crm_lazy_pq_fns.PQpipelineStatus)
#define PQpipelineSync (crm_lazy_pq_fns.PQpipelineSync)
#define PQlibVersion (crm_lazy_pq_fns.PQlibVersion)
#define lo_close (crm_lazy_pq_fns.lo_close)
#define lo_creat (crm_lazy_pq_fns.lo_creat)
#define lo_lseek64 (crm_lazy_pq_fns.lo_lseek64)
#define lo_open (crm_lazy_pq_fns.lo_open)
#define lo_read (crm_lazy_pq_fns.lo_read)
#define lo_truncate64 (crm_lazy_pq_fns.lo_truncate64)
#define lo_write (crm_lazy_pq_fns.lo_write)
#endif

#endif
