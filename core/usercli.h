/*
 * usercli.h - the `labnet user` command (see usercli.c).
 */
#ifndef LABNET_USERCLI_H
#define LABNET_USERCLI_H

#include "config.h"

/* argv[0] is "user"; returns the process exit status. */
int usercli_main(const struct config *cfg, int argc, char **argv);

#endif
