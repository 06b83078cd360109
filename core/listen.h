/*
 * listen.h - the FastCGI listening socket of `labnet serve`, from wherever
 * the operator arranged it: a systemd-activated socket (LISTEN_FDS, fd 3),
 * a socket inherited on fd 0 (listen = -, as spawn-fcgi and the FastCGI
 * spec hand it), a unix socket path or a TCP host:port.
 */
#ifndef LABNET_LISTEN_H
#define LABNET_LISTEN_H

#include "config.h"

struct listener {
	int fd;
	const char *what;	/* for the log: "systemd socket", the path, ... */
	int owns_path;		/* a unix socket we created: unlink it at exit */
};

/* accept() on the socket returns EAGAIN after this long without a
 * connection; an accepted connection inherits it and must clear it. */
#define LISTEN_WAKE_MS 500

/* Open (or adopt) the socket; 0, or -1 with the reason logged. */
int listen_open(const struct config *cfg, struct listener *out);

/* Close it, removing a socket file we created. */
void listen_close(const struct config *cfg, struct listener *l);

/* Whether fd is a socket in the listening state. */
int listen_is_listening(int fd);

#endif
