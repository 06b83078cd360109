/*
 * master.h - the supervising process of `labnet serve`: binds the socket,
 * checks the site in a throw-away child, forks workers and respawns them.
 * The master never loads or runs plugin code.
 */
#ifndef LABNET_MASTER_H
#define LABNET_MASTER_H

#include "config.h"

/* Serve until SIGTERM/SIGINT; returns the exit status. */
int master_serve(const struct config *cfg);

/*
 * Run fn(cfg, arg) in a child process that has dropped privileges like a
 * worker. Returns the child's exit status, or -1.
 */
int master_as_worker(const struct config *cfg,
    int (*fn)(const struct config *cfg, void *arg), void *arg);

#endif
