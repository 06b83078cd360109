/*
 * ratelimit.c - the sign-in rate limit, kept in PostgreSQL so that it holds
 * across workers and hosts (DESIGN section 4).
 *
 * Failed sign-ins are rows of core.login_attempts, counted per account
 * (the lower-cased email as typed, whether or not it exists) and per
 * client address over login_window seconds. Back-off first: from the third
 * failure on, an account waits 1, 2, 4 ... (at most 60) seconds after its
 * last failure, and so does an address from half its limit on (later,
 * since many people may share one address behind a campus NAT); at
 * login_max_failures (per account) or login_max_failures_addr (per
 * address) it waits until the oldest failure leaves the window. Rows older
 * than the window are swept on each failure.
 */
#include "accounts.h"

#include <stdlib.h>

#include "site.h"

#define BACKOFF_AFTER	3
#define BACKOFF_MAX	60

static const ln_sql sql_attempts = { "ratelimit_attempts",
	"SELECT count(*) FILTER (WHERE account = $1),"
	" coalesce(extract(epoch FROM min(at) FILTER (WHERE account = $1)), 0),"
	" coalesce(extract(epoch FROM max(at) FILTER (WHERE account = $1)), 0),"
	" count(*) FILTER (WHERE client_addr = $2),"
	" coalesce(extract(epoch FROM min(at) FILTER (WHERE client_addr = $2)), 0),"
	" coalesce(extract(epoch FROM max(at) FILTER (WHERE client_addr = $2)), 0),"
	" extract(epoch FROM now())"
	" FROM core.login_attempts"
	" WHERE (account = $1 OR client_addr = $2)"
	" AND at > now() - make_interval(secs => $3::int)", 3 };

static const ln_sql sql_attempt_add = { "ratelimit_add",
	"WITH swept AS (DELETE FROM core.login_attempts"
	" WHERE at < now() - make_interval(secs => $3::int))"
	" INSERT INTO core.login_attempts (account, client_addr) VALUES ($1, $2)", 3 };

static const ln_sql sql_attempt_clear = { "ratelimit_clear",
	"DELETE FROM core.login_attempts WHERE account = $1", 1 };

static const char *
client(struct ln_request *req)
{
	const char *addr = ln_client_addr(req);

	return addr && addr[0] ? addr : "unknown";
}

/* The back-off after n failures counted from the one that starts it:
 * 1, 2, 4 ... BACKOFF_MAX seconds. */
static double
backoff_seconds(long n)
{
	return n >= 6 ? BACKOFF_MAX : (double)(1L << n);
}

/* Whole seconds from now until at, at least 1. */
static int
wait_until(double at, double now)
{
	double left = at - now;

	/* Rounded up: a client that waits exactly this long gets in. */
	return left < 1 ? 1 : left > 86400 ? 86400 : (int)left + (left > (int)left);
}

int
ratelimit_check(struct ln_request *req, const char *account)
{
	const struct config *cfg = req->site->config;
	const char *values[3];
	double first, last, addr_first, addr_last, now, wait;
	long n, addr_n, addr_after;
	PGresult *res;

	values[0] = account;
	values[1] = client(req);
	values[2] = arena_printf(req->arena, "%d", cfg->login_window);
	if (values[2] == NULL)
		return LN_ENOMEM;
	if ((res = account_db(req, &sql_attempts, values)) == NULL)
		return ln_db_status(req);
	n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	first = strtod(PQgetvalue(res, 0, 1), NULL);
	last = strtod(PQgetvalue(res, 0, 2), NULL);
	addr_n = strtol(PQgetvalue(res, 0, 3), NULL, 10);
	addr_first = strtod(PQgetvalue(res, 0, 4), NULL);
	addr_last = strtod(PQgetvalue(res, 0, 5), NULL);
	now = strtod(PQgetvalue(res, 0, 6), NULL);
	if (addr_n >= cfg->login_max_failures_addr)
		return wait_until(addr_first + cfg->login_window, now);
	if (n >= cfg->login_max_failures)
		return wait_until(first + cfg->login_window, now);
	wait = 0;
	if (n >= BACKOFF_AFTER)
		wait = last + backoff_seconds(n - BACKOFF_AFTER);
	addr_after = cfg->login_max_failures_addr / 2;
	if (addr_after < BACKOFF_AFTER)
		addr_after = BACKOFF_AFTER;
	if (addr_n >= addr_after && addr_last + backoff_seconds(addr_n - addr_after) > wait)
		wait = addr_last + backoff_seconds(addr_n - addr_after);
	return wait > now ? wait_until(wait, now) : 0;
}

int
ratelimit_fail(struct ln_request *req, const char *account)
{
	const char *values[3];

	values[0] = account;
	values[1] = client(req);
	values[2] = arena_printf(req->arena, "%d", req->site->config->login_window);
	if (values[2] == NULL)
		return LN_ENOMEM;
	return account_db(req, &sql_attempt_add, values) ? 0 : ln_db_status(req);
}

int
ratelimit_clear(struct ln_request *req, const char *account)
{
	const char *values[1] = { account };

	return account_db(req, &sql_attempt_clear, values) ? 0 : ln_db_status(req);
}
