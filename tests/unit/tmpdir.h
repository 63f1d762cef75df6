/* tmpdir.h - a scratch directory for each test case (Check fixtures).
 * Included by the unit tests that work on real files. */
#ifndef HGTOP_TEST_TMPDIR_H
#define HGTOP_TEST_TMPDIR_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hgtop/util.h"

static char tmpdir[256];

static inline void
tmpdir_create(const char *tag)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hgtop-%s-XXXXXX", tag);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static inline void
teardown_tmp(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static inline char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

#endif
