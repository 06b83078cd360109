/*
 * worker.h - a worker process: drops privileges, loads the site, and serves
 * FastCGI requests from the inherited listening socket on one or more
 * request threads, until SIGTERM (finish what is in flight, then exit).
 */
#ifndef LABNET_WORKER_H
#define LABNET_WORKER_H

#include "config.h"
#include "scoreboard.h"

/* Switch to cfg->user when running as root; refuse to serve as root without
 * one. 0, or -1 with the reason in err. */
int worker_drop_privileges(const struct config *cfg, char *err, size_t errlen);

/* Runs a worker on listen_fd, reporting on its scoreboard slot board;
 * returns the process exit status. */
int worker_main(const struct config *cfg, int listen_fd,
    struct sb_worker *board);

/* Serves one CGI request on stdin/stdout; returns the exit status. */
int worker_cgi(const struct config *cfg);

#endif
