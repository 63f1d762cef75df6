/* demo.h - `hgtop --demo`: a temporary sessions directory with a simulated
 * hyperguild appending to it live.
 *
 * hg_demo_start() fills a fresh directory (mkdtemp under $TMPDIR or /tmp)
 * with a few realistic sessions, then forks a writer that appends one new
 * entry every 1-2 s, the way hyperguild does (open O_APPEND, one write(2)
 * of the whole line, close), and now and then starts a new session file.
 * The writer never touches the terminal (its stdio is /dev/null, it runs
 * in its own session) and exits when its parent dies. Start the demo
 * before any thread is created: the writer is a plain fork(). */
#ifndef HGTOP_DEMO_H
#define HGTOP_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct hg_demo {
	char *dir;	/* the sessions directory (owned), NULL when stopped */
	pid_t pid;	/* the writer process, 0 when none (for SIGCHLD) */
	int status;	/* its wait status once reaped */
	bool reaped;
};

/* Returns 0, or -1 with a one-line reason in err. */
int hg_demo_start(struct hg_demo *d, char *err, size_t errlen);

/* Reap the writer if it has exited (never blocks): true when it is gone.
 * Call it from the SIGCHLD path of the event loop. */
bool hg_demo_reap(struct hg_demo *d);

/* Stop and reap the writer, remove the directory with everything in it. */
void hg_demo_stop(struct hg_demo *d);

#endif
