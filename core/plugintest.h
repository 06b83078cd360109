/*
 * plugintest.h - `labnet plugin-test x.so [fixtures] [--database CONNINFO]`:
 * a plugin's conformance run without nginx (see plugintest.c).
 */
#ifndef LABNET_PLUGINTEST_H
#define LABNET_PLUGINTEST_H

#include "config.h"

/* The command; returns the process exit status (0: every check passed). */
int plugintest_main(const struct config *cfg, int argc, char **argv);

#endif
