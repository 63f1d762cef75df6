/* ceiling.c - the parse ceiling: read each line, cJSON_ParseWithLength,
 * cJSON_Delete, nothing else. hgtop's full load is compared with this.
 *
 *   ceiling DIR|FILE...     (a DIR means every *.jsonl in it) */
#include "config.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static long long lines, bad, bytes;

static void
parse_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	cJSON *j;

	if (!f) {
		fprintf(stderr, "ceiling: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		bytes += n;
		if (line[n - 1] == '\n')
			n--;
		lines++;
		j = cJSON_ParseWithLength(line, (size_t)n);
		if (!j)
			bad++;
		cJSON_Delete(j);
	}
	free(line);
	fclose(f);
}

static int
is_jsonl(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 6 && strcmp(d->d_name + n - 6, ".jsonl") == 0;
}

static void
parse_dir(const char *dir)
{
	struct dirent **names;
	char path[4096];
	int n, i;

	n = scandir(dir, &names, is_jsonl, alphasort);
	if (n < 0) {
		fprintf(stderr, "ceiling: %s: %s\n", dir, strerror(errno));
		exit(1);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		parse_file(path);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: ceiling DIR|FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			parse_dir(argv[i]);
		else
			parse_file(argv[i]);
	}
	fprintf(stderr, "ceiling: %lld lines, %lld unparsable, %lld bytes\n", lines, bad, bytes);
	return 0;
}
