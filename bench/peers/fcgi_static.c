/*
 * fcgi_static.c - the bare libfcgi peer for `make bench`: N processes
 * accepting on one unix socket, each answering every request with the same
 * 2 KB HTML page. It is the floor a FastCGI backend behind nginx can reach
 * on this machine; Labnet's hello route is measured against it.
 *
 *   fcgi_static SOCKET PROCESSES
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>

#define PREFIX "<!DOCTYPE html><title>peer</title><p>"

static char page[2048];

static void
serve(int sock)
{
	FCGX_Request request;
	static const char head[] = "Status: 200 OK\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: 2048\r\n\r\n";

	FCGX_InitRequest(&request, sock, 0);
	while (FCGX_Accept_r(&request) >= 0) {
		FCGX_PutStr(head, (int)sizeof(head) - 1, request.out);
		FCGX_PutStr(page, (int)sizeof(page), request.out);
		FCGX_Finish_r(&request);
	}
	exit(0);
}

int
main(int argc, char **argv)
{
	int sock, n, i;
	size_t k;

	if (argc != 3 || (n = atoi(argv[2])) < 1 || n > 64) {
		fprintf(stderr, "usage: fcgi_static SOCKET PROCESSES\n");
		return 2;
	}
	/* Same size as the static file nginx serves: 2048 bytes of HTML. */
	/* Byte for byte what page.php and bench.mjs's static file hold. */
	memset(page, ' ', sizeof(page));
	memcpy(page, PREFIX, strlen(PREFIX));
	for (k = strlen(PREFIX); k + 8 <= sizeof(page) - 1; k += 8)
		memcpy(page + k, "Labnet. ", 8);
	page[sizeof(page) - 1] = '\n';
	unlink(argv[1]);
	if (FCGX_Init() != 0 || (sock = FCGX_OpenSocket(argv[1], 1024)) < 0) {
		perror("fcgi_static: socket");
		return 1;
	}
	chmod(argv[1], 0666);
	for (i = 0; i < n; i++)
		if (fork() == 0)
			serve(sock);
	signal(SIGTERM, SIG_IGN);
	while (wait(NULL) > 0)
		;
	return 0;
}
