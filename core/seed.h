/*
 * seed.h - the `labnet seed` command: generated records for scale tests
 * and benchmarks, made by the plugins' own SQL (see seed.c).
 */
#ifndef LABNET_SEED_H
#define LABNET_SEED_H

#include "config.h"

/* argv[0] is "seed"; returns the process exit status. */
int seed_main(const struct config *cfg, int argc, char **argv);

#endif
