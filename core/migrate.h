/*
 * migrate.h - `labnet migrate`: apply each plugin's pending numbered SQL
 * files, in dependency order, each in its own transaction, recorded in
 * core.migrations.
 */
#ifndef LABNET_MIGRATE_H
#define LABNET_MIGRATE_H

#include <stdio.h>

#include "site.h"

/* 0 when everything is applied; 1 after naming the failing file on out. */
int migrate_run(const struct site *site, FILE *out);

#endif
