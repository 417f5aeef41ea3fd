/*
 * The connection guard (guard.h).
 *
 * Reading ahead of libmicrohttpd needs its reads: it calls recv() on its
 * connections' sockets, through the dynamic linker, so the recv() defined
 * here -- in the executable, which comes first -- is the one it gets.
 * Sockets that are not libmicrohttpd's connections (libcurl's, and every
 * socket before the server starts) go straight to the system's recvfrom()
 * with no other work than a look at one table slot.
 */
#undef _FORTIFY_SOURCE /* its inline recv() would clash with the one here */
#include "guard.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "../util/timeutil.h"
#include "rxscan.h"

/* Files beyond the connections: the listening socket, the workers'
 * event queues and databases, the writer, webhooks, logs. */
#define FD_SLACK 256
/* How often the deadline is checked. */
#define SWEEP_US 250000

struct watch {
	struct watch *prev, *next;
	int fd;
	atomic_int cut;        /* shut down by the sweeper */
	atomic_int waiting;    /* for a request's headers */
	_Atomic int64_t since; /* since when, µs on the monotonic clock */
	atomic_int nul;        /* this request's target holds %00 */
	uint64_t requests;     /* whose headers are in */
	struct rx_scan rx;     /* used on the connection's own thread only */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct watch *watches; /* under lock */
static int stopping;          /* under lock */
static pthread_t sweeper;
static int sweeping;
static int64_t deadline_us;

/* The watches by socket, for recv().  Made once, at the first start, and
 * kept: other threads may look at it at any time. */
static _Atomic(struct watch *) *by_fd;
static atomic_int nfds;

static struct watch *watch_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* ------------------------------------------------------------------ */
/* Reading ahead                                                        */

/*
 * A read of a watched connection.  The bytes are looked at (MSG_PEEK)
 * before they are taken, and only those judged are taken and returned;
 * so bytes held back stay in the socket, never in a buffer of ours.
 *
 * libmicrohttpd takes a short read (fewer bytes than it asked for) to
 * mean that the socket is empty and waits for the next edge of its
 * edge-triggered epoll.  A short read here leaves in the socket only the
 * start of a line still to be judged, and the look reaches far enough
 * past what is asked (look[]) to judge any line that is complete in the
 * socket; so what stays there is an incomplete line, whose remainder the
 * client has yet to send, and that brings the next edge.
 */
static ssize_t watched_recv(struct watch *w, int fd, unsigned char *buf, size_t len)
{
	struct rx_scan *s = &w->rx;
	unsigned char look[RX_LINE_CAP + 2];
	struct iovec iov[2] = {{buf, len}, {look, sizeof(look)}};
	struct msghdr mh;
	uint64_t ahead = s->scanned - s->delivered, ready;
	ssize_t n, got;
	size_t k;

	/* Shut down by the sweeper: nothing more will come to judge a line
	 * held back by, so it is judged as it is. */
	if (atomic_load(&w->cut))
		rx_end(s);
	/* A body, or a message not looked into: straight through. */
	if (!ahead && !s->nmarks &&
	    (s->phase == RX_OPAQUE || (s->phase == RX_BODY && s->body_left >= len))) {
		got = recvfrom(fd, buf, len, 0, NULL, NULL);
		if (got > 0) {
			rx_feed(s, buf, (size_t)got);
			rx_deliver(s, buf, (size_t)got);
		}
		return got;
	}
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	n = recvmsg(fd, &mh, MSG_PEEK | MSG_DONTWAIT);
	if (n <= 0)
		return n;
	/* The bytes not yet scanned: in buf, then in look. */
	if ((uint64_t)n > ahead) {
		size_t from = (size_t)ahead, end = (size_t)n, took = 0, want = 0;
		if (from < len) {
			want = (end < len ? end : len) - from;
			took = rx_feed(s, buf + from, want);
		}
		if (took == want && end > len) {
			size_t lf = from > len ? from - len : 0;
			rx_feed(s, look + lf, end - len - lf);
		}
	}
	ready = rx_deliverable(s) - s->delivered;
	k = ready < len ? (size_t)ready : len;
	if (!k) {
		errno = EAGAIN;
		return -1;
	}
	got = recvfrom(fd, buf, k, MSG_DONTWAIT, NULL, NULL);
	if (got > 0)
		rx_deliver(s, buf, (size_t)got);
	return got;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	struct watch *w = NULL;

	if (flags == 0 && fd >= 0 && fd < atomic_load_explicit(&nfds, memory_order_acquire))
		w = atomic_load_explicit(&by_fd[fd], memory_order_acquire);
	if (!w || !len)
		return recvfrom(fd, buf, len, flags, NULL, NULL);
	return watched_recv(w, fd, buf, len);
}

/* ------------------------------------------------------------------ */
/* Connections and their deadline                                       */

void guard_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                      enum MHD_ConnectionNotificationCode code)
{
	struct watch *w;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(w = calloc(1, sizeof(*w))))
			return; /* not watched: no deadline, nothing read ahead */
		w->fd = ci->connect_fd;
		rx_init(&w->rx);
		atomic_store(&w->since, time_mono_us());
		atomic_store(&w->waiting, 1);
		pthread_mutex_lock(&lock);
		w->next = watches;
		if (watches)
			watches->prev = w;
		watches = w;
		pthread_mutex_unlock(&lock);
		if (w->fd >= 0 && w->fd < atomic_load(&nfds))
			atomic_store_explicit(&by_fd[w->fd], w, memory_order_release);
		*socket_context = w;
		return;
	}
	/* Closed: libmicrohttpd closes the socket after this returns, so
	 * the sweeper, under the lock, never shuts down a reused number. */
	if (!(w = *socket_context))
		return;
	if (w->fd >= 0 && w->fd < atomic_load(&nfds))
		atomic_store_explicit(&by_fd[w->fd], NULL, memory_order_release);
	pthread_mutex_lock(&lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		watches = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&lock);
	free(w);
	*socket_context = NULL;
}

void *guard_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct watch *w = watch_of(c);

	(void)cls;
	/* The target as it came, before libmicrohttpd decodes it. */
	if (w && uri && strstr(uri, "%00"))
		atomic_store(&w->nul, 1);
	return NULL; /* no request context yet: on_request makes it */
}

int guard_headers_in(struct MHD_Connection *c)
{
	struct watch *w = watch_of(c);
	int flags;

	if (!w)
		return 0;
	atomic_store(&w->waiting, 0);
	flags = atomic_exchange(&w->nul, 0) ? GUARD_NUL : 0;
	/* The requests' header blocks in order, as the scanner counts them:
	 * it stops after a folded one until that request is done. */
	if (++w->requests == w->rx.folded_block)
		flags |= GUARD_FOLDED;
	return flags;
}

void guard_request_done(struct MHD_Connection *c)
{
	struct watch *w = watch_of(c);

	if (!w)
		return;
	atomic_store(&w->since, time_mono_us());
	atomic_store(&w->waiting, 1);
	rx_request_done(&w->rx);
}

static void *sweep(void *arg)
{
	struct timespec until;

	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		int64_t now = time_mono_us();
		for (struct watch *w = watches; w; w = w->next) {
			if (atomic_load(&w->cut) || !atomic_load(&w->waiting) ||
			    now - atomic_load(&w->since) <= deadline_us)
				continue;
			/* libmicrohttpd reads the end of the stream and
			 * closes the connection. */
			atomic_store(&w->cut, 1);
			shutdown(w->fd, SHUT_RDWR);
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += SWEEP_US * 1000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&wake, &lock, &until);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Start and stop                                                       */

/* The connection limit that the file limit allows, raising the latter as
 * far as the system lets a process. */
static unsigned fit_files(const struct config *cfg)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)cfg->max_connections + FD_SLACK;
	unsigned n = (unsigned)cfg->max_connections;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return n;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		struct rlimit raised = rl;
		raised.rlim_cur =
		    rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		if (!setrlimit(RLIMIT_NOFILE, &raised))
			rl = raised;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		n = rl.rlim_cur > 2 * FD_SLACK ? (unsigned)(rl.rlim_cur - FD_SLACK)
		                               : (unsigned)(rl.rlim_cur / 2);
		fprintf(stderr,
		        "qunyan: the system allows %llu open files; serving at most %u connections "
		        "instead of %d\n",
		        (unsigned long long)rl.rlim_cur, n, cfg->max_connections);
	}
	return n;
}

int guard_start(const struct config *cfg, unsigned *connections)
{
	*connections = fit_files(cfg);
	deadline_us = (int64_t)cfg->header_timeout * 1000000;
	if (!by_fd) {
		struct rlimit rl;
		size_t n = 65536;
		if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY)
			n = rl.rlim_cur;
		if (n > (1u << 20))
			n = 1u << 20;
		if ((by_fd = calloc(n, sizeof(*by_fd))))
			atomic_store_explicit(&nfds, (int)n, memory_order_release);
	}
	pthread_mutex_lock(&lock);
	stopping = 0;
	pthread_mutex_unlock(&lock);
	if (pthread_create(&sweeper, NULL, sweep, NULL))
		return -1;
	sweeping = 1;
	return 0;
}

void guard_stop(void)
{
	if (!sweeping)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(sweeper, NULL);
	sweeping = 0;
}
