/*
 * listen.c - the listening socket (see listen.h).
 *
 * Precedence: a systemd-activated socket (LISTEN_PID is ours), then
 * listen = - (fd 0 must be a listening socket), then a unix path or
 * host:port. Binding happens in the master, before workers drop privileges;
 * a unix socket is created with its final mode, so there is no window in
 * which others may connect.
 */
#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

#define SD_LISTEN_FDS_START 3

/* A stale socket file is removed; a live one means another server. */
static int
unix_socket_clear(const char *path, const struct sockaddr_un *addr)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_errx("%s exists and is not a socket", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
	close(fd);
	if (rc == 0) {
		log_errx("%s: another server is listening on it", path);
		return -1;
	}
	return unlink(path);
}

static int
listen_unix(const struct config *cfg)
{
	struct sockaddr_un addr;
	struct group *gr;
	mode_t old_mask;
	int fd = -1;

	if (strlen(cfg->listen) >= sizeof(addr.sun_path)) {
		log_errx("%s: listen path is longer than %zu bytes", cfg->listen,
		    sizeof(addr.sun_path) - 1);
		return -1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, cfg->listen, strlen(cfg->listen));
	if (unix_socket_clear(cfg->listen, &addr) < 0)
		goto fail;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		goto fail;
	/* Create it with the final mode: no window where others can connect. */
	old_mask = umask(0777 & ~cfg->socket_mode);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		umask(old_mask);
		goto fail;
	}
	umask(old_mask);
	if (chmod(cfg->listen, cfg->socket_mode) < 0)
		goto fail;
	if (cfg->socket_group[0] != '\0') {
		if ((gr = getgrnam(cfg->socket_group)) == NULL) {
			log_errx("socket_group %s does not exist", cfg->socket_group);
			goto fail_quiet;
		}
		if (chown(cfg->listen, (uid_t)-1, gr->gr_gid) < 0)
			goto fail;
	}
	if (listen(fd, 1024) < 0)
		goto fail;
	return fd;
fail:
	log_err("listen on %s", cfg->listen);
fail_quiet:
	if (fd >= 0)
		close(fd);
	return -1;
}

static int
listen_tcp(const struct config *cfg)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256];
	const char *colon, *port;
	size_t hlen;
	int fd = -1, one = 1, rc;

	colon = strrchr(cfg->listen, ':');
	if (colon == NULL)
		return -1;
	port = colon + 1;
	hlen = (size_t)(colon - cfg->listen);
	if (cfg->listen[0] == '[' && hlen >= 2 && cfg->listen[hlen - 1] == ']') {
		memcpy(host, cfg->listen + 1, hlen - 2);
		host[hlen - 2] = '\0';
	} else {
		if (hlen >= sizeof(host))
			return -1;
		memcpy(host, cfg->listen, hlen);
		host[hlen] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res)) != 0) {
		log_errx("listen %s: %s", cfg->listen, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		log_err("listen on %s", cfg->listen);
	return fd;
}

int
listen_is_listening(int fd)
{
	int on = 0;
	socklen_t len = sizeof(on);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on;
}

/* The first socket systemd passed, when LISTEN_PID names this process. */
static int
listen_systemd(void)
{
	const char *pid_text = getenv("LISTEN_PID"), *fds_text = getenv("LISTEN_FDS");
	char *end;
	long pid, fds;

	if (pid_text == NULL || fds_text == NULL)
		return -1;
	pid = strtol(pid_text, &end, 10);
	if (*end != '\0' || pid != (long)getpid())
		return -1;
	fds = strtol(fds_text, &end, 10);
	/* Not for our children: they must not take it for their own. */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (*end != '\0' || fds < 1)
		return -1;
	if (fds > 1)
		log_warnx("systemd passed %ld sockets; serving the first", fds);
	return SD_LISTEN_FDS_START;
}

int
listen_open(const struct config *cfg, struct listener *out)
{
	struct timeval wake = { LISTEN_WAKE_MS / 1000, (LISTEN_WAKE_MS % 1000) * 1000 };
	int fd;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if ((fd = listen_systemd()) >= 0) {
		if (!listen_is_listening(fd)) {
			log_errx("LISTEN_FDS is set, but fd %d is not a listening socket",
			    fd);
			return -1;
		}
		out->what = "the socket systemd passed (fd 3)";
	} else if (cfg->listen[0] == '\0' || strcmp(cfg->listen, "-") == 0) {
		if (!listen_is_listening(STDIN_FILENO)) {
			log_errx("listen = -, but fd 0 is not a listening socket "
			    "(start labnet from spawn-fcgi or with the socket on stdin)");
			return -1;
		}
		fd = STDIN_FILENO;
		out->what = "the socket inherited on fd 0";
	} else if (cfg->listen[0] == '/') {
		if ((fd = listen_unix(cfg)) < 0)
			return -1;
		out->what = cfg->listen;
		out->owns_path = 1;
	} else if (strchr(cfg->listen, ':') != NULL) {
		if ((fd = listen_tcp(cfg)) < 0)
			return -1;
		out->what = cfg->listen;
	} else {
		log_errx("listen = %s: expected an absolute socket path, host:port "
		    "or -", cfg->listen);
		return -1;
	}
	/* accept() gives up after a while (EAGAIN), so a worker notices that
	 * it should stop without being signalled: a signal could interrupt
	 * the read of a request already accepted. Blocking accept() keeps the
	 * kernel's fair hand-out of connections among idle workers. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wake, sizeof(wake)) < 0) {
		log_err("cannot set a receive timeout on the listening socket");
		if (out->owns_path)
			close(fd);
		return -1;
	}
	out->fd = fd;
	return 0;
}

void
listen_close(const struct config *cfg, struct listener *l)
{
	if (l->fd < 0)
		return;
	close(l->fd);
	if (l->owns_path)
		unlink(cfg->listen);
	l->fd = -1;
}
