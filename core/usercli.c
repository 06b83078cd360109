/*
 * usercli.c - `labnet user ...`: manage accounts from the command line.
 *
 *   labnet user add --email E --name N [--role admin|editor]
 *   labnet user passwd --email E
 *   labnet user disable --email E      (and enable)
 *   labnet user list
 *
 * Connects with the runtime role (`database`), like a worker. The password
 * is asked twice without echo on a terminal, and read as one line from
 * standard input otherwise (for scripts). Every change is audited with no
 * actor and the detail "cli". Nothing here outlives the command.
 */
#include "usercli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "accounts.h"
#include "db.h"

struct user_opts {
	const char *email;
	const char *name;
	const char *role;
};

struct subcommand {
	const char *name;
	int (*run)(const struct config *cfg, PGconn *conn,
	    const struct user_opts *o);
	int needs_email;
	const char *help;
};

static PGresult *
query(PGconn *conn, const char *sql, int n, const char *const *values)
{
	PGresult *res = PQexecParams(conn, sql, n, NULL, values, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	fprintf(stderr, "labnet user: %s", PQresultErrorMessage(res));
	PQclear(res);
	return NULL;
}

static int
audit(PGconn *conn, const char *action, const char *email)
{
	const char *values[2] = { action, email };
	PGresult *res = query(conn, "INSERT INTO core.audit (action, subject_id,"
	    " detail) SELECT $1, id, 'cli' FROM core.users"
	    " WHERE lower(email) = lower($2)", 2, values);

	PQclear(res);
	return res ? 0 : -1;
}

/* One line of at most ACCOUNT_PASSWORD_MAX + 2 bytes, without its newline;
 * without echo when fd 0 is a terminal. */
static int
read_line(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), ok;
	size_t len;

	/* Echo off before the prompt: what is typed after it never shows. */
	if (tty) {
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		} else
			tty = 0;
		fputs(prompt, stderr);
		fflush(stderr);
	}
	ok = fgets(buf, (int)size, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok)
		return -1;
	len = strcspn(buf, "\r\n");
	if (buf[len] == '\0' && len == size - 1)
		return -1;	/* longer than any password may be */
	buf[len] = '\0';
	return 0;
}

/* A new password for email/name into hash; prints why when refused. */
static int
new_password(const struct config *cfg, const char *email, const char *name,
    char *hash)
{
	char first[ACCOUNT_PASSWORD_MAX + 3], again[ACCOUNT_PASSWORD_MAX + 3];
	const char *why;
	int rc = -1;

	if (read_line("New password: ", first, sizeof(first)) < 0) {
		fprintf(stderr, "labnet user: no password given (one line, at most "
		    "%d bytes)\n", ACCOUNT_PASSWORD_MAX);
		goto done;
	}
	if (isatty(STDIN_FILENO)) {
		if (read_line("Again: ", again, sizeof(again)) < 0 ||
		    strcmp(first, again) != 0) {
			fprintf(stderr, "labnet user: the passwords differ\n");
			goto done;
		}
	}
	if (account_password_policy(first, email, name, &why) < 0) {
		fprintf(stderr, "labnet user: password refused: %s\n",
		    strcmp(why, "account.password.short") == 0 ?
		    "shorter than 12 characters" :
		    strcmp(why, "account.password.long") == 0 ?
		    "longer than 128 bytes" : "too easy to guess (dictionary check)");
		goto done;
	}
	if (account_password_hash(cfg, first, hash) < 0)
		goto done;
	rc = 0;
done:
	sodium_memzero(first, sizeof(first));
	sodium_memzero(again, sizeof(again));
	return rc;
}

long long
usercli_add(PGconn *conn, const char *email, const char *name,
    const char *role, const char *hash)
{
	const char *values[4] = { email, name, hash, role };
	long long user_id;
	PGresult *res;

	res = query(conn, "INSERT INTO core.users (email, display_name,"
	    " password_hash, role) VALUES ($1, $2, $3, $4)"
	    " ON CONFLICT DO NOTHING RETURNING id", 4, values);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	user_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return audit(conn, "user.add", email) < 0 ? -1 : user_id;
}

static int
user_add(const struct config *cfg, PGconn *conn, const struct user_opts *o)
{
	char hash[crypto_pwhash_STRBYTES];
	long long user_id;

	if (o->name == NULL || o->name[0] == '\0' || strlen(o->name) > 200) {
		fprintf(stderr, "labnet user add: --name is required (1-200 bytes)\n");
		return 2;
	}
	if (strcmp(o->role, "admin") != 0 && strcmp(o->role, "editor") != 0) {
		fprintf(stderr, "labnet user add: --role is admin or editor\n");
		return 2;
	}
	if (new_password(cfg, o->email, o->name, hash) < 0)
		return 1;
	if ((user_id = usercli_add(conn, o->email, o->name, o->role, hash)) < 0)
		return 1;
	if (user_id == 0) {
		fprintf(stderr, "labnet user add: %s already has an account\n",
		    o->email);
		return 1;
	}
	printf("added %s (%s)\n", o->email, o->role);
	return 0;
}

/* The display name of email's account, or NULL after saying there is none. */
static char *
user_name(PGconn *conn, const char *email)
{
	const char *values[1] = { email };
	PGresult *res;
	char *name = NULL;

	res = query(conn, "SELECT display_name FROM core.users"
	    " WHERE lower(email) = lower($1) AND deleted_at IS NULL", 1, values);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 1)
		name = strdup(PQgetvalue(res, 0, 0));
	else
		fprintf(stderr, "labnet user: no account for %s\n", email);
	PQclear(res);
	return name;
}

static int
user_passwd(const struct config *cfg, PGconn *conn, const struct user_opts *o)
{
	char hash[crypto_pwhash_STRBYTES], *name;
	const char *values[2];
	PGresult *res;
	int rc = 1;

	if ((name = user_name(conn, o->email)) == NULL)
		return 1;
	if (new_password(cfg, o->email, name, hash) < 0)
		goto done;
	values[0] = o->email;
	values[1] = hash;
	/* Every session of the user ends with the old password. */
	res = query(conn, "WITH u AS (UPDATE core.users SET password_hash = $2"
	    " WHERE lower(email) = lower($1) AND deleted_at IS NULL RETURNING id)"
	    " DELETE FROM core.sessions WHERE user_id IN (SELECT id FROM u)", 2,
	    values);
	if (res == NULL)
		goto done;
	PQclear(res);
	if (audit(conn, "password.change", o->email) < 0)
		goto done;
	printf("password of %s changed\n", o->email);
	rc = 0;
done:
	free(name);
	return rc;
}

static int
user_set_disabled(PGconn *conn, const struct user_opts *o, int disabled)
{
	const char *values[2] = { o->email, disabled ? "true" : "false" };
	PGresult *res;

	res = query(conn, "WITH u AS (UPDATE core.users SET disabled = $2::boolean"
	    " WHERE lower(email) = lower($1) AND deleted_at IS NULL RETURNING id),"
	    " s AS (DELETE FROM core.sessions WHERE $2::boolean"
	    " AND user_id IN (SELECT id FROM u))"
	    " SELECT count(*) FROM u", 2, values);
	if (res == NULL)
		return 1;
	if (strcmp(PQgetvalue(res, 0, 0), "1") != 0) {
		fprintf(stderr, "labnet user: no account for %s\n", o->email);
		PQclear(res);
		return 1;
	}
	PQclear(res);
	if (audit(conn, disabled ? "user.disable" : "user.enable", o->email) < 0)
		return 1;
	printf("%s %s\n", o->email, disabled ? "disabled" : "enabled");
	return 0;
}

static int
user_disable(const struct config *cfg, PGconn *conn, const struct user_opts *o)
{
	(void)cfg;
	return user_set_disabled(conn, o, 1);
}

static int
user_enable(const struct config *cfg, PGconn *conn, const struct user_opts *o)
{
	(void)cfg;
	return user_set_disabled(conn, o, 0);
}

static int
user_list(const struct config *cfg, PGconn *conn, const struct user_opts *o)
{
	PGresult *res;
	int i;

	(void)cfg;
	(void)o;
	res = query(conn, "SELECT email, role, CASE WHEN disabled THEN 'disabled'"
	    " WHEN password_hash IS NULL THEN 'invited' ELSE 'active' END,"
	    " coalesce(to_char(last_login_at, 'YYYY-MM-DD HH24:MI'), '-'),"
	    " display_name FROM core.users WHERE deleted_at IS NULL"
	    " ORDER BY lower(email)", 0, NULL);
	if (res == NULL)
		return 1;
	printf("%-32s %-7s %-9s %-17s %s\n", "EMAIL", "ROLE", "STATE",
	    "LAST SIGN-IN", "NAME");
	for (i = 0; i < PQntuples(res); i++)
		printf("%-32s %-7s %-9s %-17s %s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
	PQclear(res);
	return 0;
}

static const struct subcommand subcommands[] = {
	{ "add", user_add, 1, "--email E --name N [--role admin|editor]" },
	{ "passwd", user_passwd, 1, "--email E    set a new password" },
	{ "disable", user_disable, 1, "--email E    sign out and lock out" },
	{ "enable", user_enable, 1, "--email E    undo disable" },
	{ "list", user_list, 0, "             every account" },
	{ NULL, NULL, 0, NULL }
};

static void
usercli_usage(FILE *out)
{
	const struct subcommand *s;

	fprintf(out, "usage: labnet user COMMAND [OPTIONS]\n");
	for (s = subcommands; s->name; s++)
		fprintf(out, "  labnet user %-8s %s\n", s->name, s->help);
	fprintf(out, "The password comes from a prompt without echo on a terminal, "
	    "else from one line of standard input.\n");
}

int
usercli_main(const struct config *cfg, int argc, char **argv)
{
	const struct subcommand *s;
	struct user_opts o = { NULL, NULL, "editor" };
	char err[512];
	PGconn *conn;
	int i, rc;

	if (argc < 2) {
		usercli_usage(stderr);
		return 2;
	}
	for (s = subcommands; s->name; s++)
		if (strcmp(s->name, argv[1]) == 0)
			break;
	if (s->name == NULL) {
		usercli_usage(strcmp(argv[1], "help") == 0 ? stdout : stderr);
		return strcmp(argv[1], "help") == 0 ? 0 : 2;
	}
	for (i = 2; i < argc; i += 2) {
		if (i + 1 >= argc) {
			fprintf(stderr, "labnet user: %s needs a value\n", argv[i]);
			return 2;
		}
		if (strcmp(argv[i], "--email") == 0)
			o.email = argv[i + 1];
		else if (strcmp(argv[i], "--name") == 0)
			o.name = argv[i + 1];
		else if (strcmp(argv[i], "--role") == 0 && s->run == user_add)
			o.role = argv[i + 1];
		else {
			fprintf(stderr, "labnet user %s: unknown option %s\n", s->name,
			    argv[i]);
			return 2;
		}
	}
	if (s->needs_email && (o.email == NULL || !account_email_ok(o.email))) {
		fprintf(stderr, "labnet user %s: --email with a valid address is "
		    "required\n", s->name);
		return 2;
	}
	conn = db_connect_own(cfg->database, cfg->connect_timeout, "labnet-user",
	    err, sizeof(err));
	if (conn == NULL) {
		fprintf(stderr, "labnet user: cannot connect to the database: %s",
		    err);
		return 1;
	}
	rc = s->run(cfg, conn, &o);
	PQfinish(conn);
	return rc;
}
