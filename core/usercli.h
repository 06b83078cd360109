/*
 * usercli.h - the `labnet user` command (see usercli.c).
 */
#ifndef LABNET_USERCLI_H
#define LABNET_USERCLI_H

#include <libpq-fe.h>

#include "config.h"

/* argv[0] is "user"; returns the process exit status. */
int usercli_main(const struct config *cfg, int argc, char **argv);

/*
 * `labnet user add` without its prompt: the account email (display name
 * name, role "admin" or "editor", both checked by the caller) with the
 * password hash (account_password_hash), audited like the command's, on
 * conn (the runtime role). Returns the new account's id, 0 when email
 * already has one, or -1 after printing the database's message to stderr.
 * labnet plugin-test makes its signed-in users with it.
 */
long long usercli_add(PGconn *conn, const char *email, const char *name,
    const char *role, const char *hash);

#endif
