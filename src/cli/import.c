/*
 * qunyan import enterprises FILE.csv [--jurisdiction CODE]
 *
 * All or nothing: every record is checked and written inside one
 * transaction; if any record is bad, nothing is kept and the report lists
 * every bad record with its line, column and reason.
 *
 * Reading and checking records is about as much work as writing them, so
 * the two run on two threads: a reader parses and validates batches of
 * records, the main thread writes them, and a small queue between them
 * bounds the memory in flight.  Messages are printed by the writer, in
 * file order.
 *
 * Codes are checked for duplicates by the reader, against those of the
 * records before and, in a bulk load (a file at least as large as the
 * registry), against the codes registered (read in the import's
 * transaction), so that the database can build its unique index on them
 * once, after the load, instead of row by row.  A smaller load keeps the
 * index, which then finds the registered codes.
 *
 * A bulk load does not add its rows to the search index: a server indexes
 * them after the import while it serves (searches stay right meanwhile,
 * only slower; see store_search_index_step), which would otherwise double
 * the time of a large import.
 *
 * The enterprises of a file belong to one jurisdiction, a town's (or one
 * below it): the one --jurisdiction names, by default the home town
 * (jurisdiction 1).  The district every row carries is looked up once.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../domain/ent_csv.h"
#include "../service/placement.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/csv.h"
#include "../util/keyset.h"
#include "../util/timeutil.h"
#include "../util/xlsx.h"
#include "cli.h"

#define MAX_REPORTED 1000
#define BATCH        512
#define QUEUE        4

struct record {
	int line;
	int bad;
	struct enterprise e;
};

struct batch {
	int n;
	struct buf report; /* messages for the bad records of this batch */
	struct record rec[BATCH];
};

/* The number a registered code has in the set of codes; records have
 * their line. */
#define REGISTERED (-1)

struct import_ctx {
	/* reader side */
	struct ent_csv_header header;
	int have_header;
	int uscc_column;
	struct keyset codes; /* registered, then each good record's */
	struct batch *filling;
	struct err fatal;
	const char *data;
	size_t len;
	int xlsx; /* data is an XLSX workbook, not CSV */
	/* Bad records so far: counted by the reader, read by the writer for
	 * the report's cap and the progress bar. */
	atomic_long bad;

	/* the queue */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct batch *queue[QUEUE];
	int head, count;
	int done;      /* the reader has finished */
	int cancelled; /* the writer has given up */
	struct batch *spare[QUEUE + 2];
	int nspare;
};

static struct batch *batch_get(struct import_ctx *x)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&x->lock);
	if (x->nspare)
		b = x->spare[--x->nspare];
	pthread_mutex_unlock(&x->lock);
	if (!b && !(b = calloc(1, sizeof(*b))))
		return NULL;
	b->n = 0;
	buf_reset(&b->report);
	return b;
}

static void batch_put_spare(struct import_ctx *x, struct batch *b)
{
	pthread_mutex_lock(&x->lock);
	if (x->nspare < QUEUE + 2) {
		x->spare[x->nspare++] = b;
		b = NULL;
	}
	pthread_mutex_unlock(&x->lock);
	if (b) {
		buf_release(&b->report);
		free(b);
	}
}

/* Hands a full batch to the writer; 0 when the writer has given up. */
static int batch_send(struct import_ctx *x, struct batch *b)
{
	pthread_mutex_lock(&x->lock);
	while (x->count == QUEUE && !x->cancelled)
		pthread_cond_wait(&x->changed, &x->lock);
	if (x->cancelled) {
		pthread_mutex_unlock(&x->lock);
		batch_put_spare(x, b);
		return 0;
	}
	x->queue[(x->head + x->count++) % QUEUE] = b;
	pthread_cond_broadcast(&x->changed);
	pthread_mutex_unlock(&x->lock);
	return 1;
}

/* Where a field error lies: its column when the field is one of the
 * file's ("column 5 (cluster_id)"), the record otherwise. */
static void report_one(struct buf *out, const struct ent_csv_header *h, int line, const char *field,
                       const char *message)
{
	int col = field[0] && strncmp(field, "column", 6) ? ent_csv_column(h, field) : 0;

	if (col)
		buf_printf(out, "line %d, column %d (%s): %s\n", line, col, field, message);
	else
		buf_printf(out, "line %d, %s: %s\n", line,
		           strncmp(field, "column", 6) == 0 ? field : "record", message);
}

static void report_err(struct buf *out, const struct ent_csv_header *h, int line,
                       const struct err *err)
{
	if (!err->nfields && err->field[0])
		report_one(out, h, line, err->field, err->message);
	else if (!err->nfields)
		buf_printf(out, "line %d: %s\n", line, err->message);
	for (int i = 0; i < err->nfields; i++)
		report_one(out, h, line, err->fields[i].field, err->fields[i].message);
}

static int add_registered(void *ctx, const char *uscc)
{
	struct import_ctx *x = ctx;
	char key[USCC_LEN];
	int32_t had;

	/* Stored codes were validated on their way in, so all have the
	 * length; padding keeps the set's keys one size regardless. */
	memset(key, 0, sizeof(key));
	memcpy(key, uscc, strnlen(uscc, sizeof(key)));
	return keyset_add(&x->codes, key, REGISTERED, &had) < 0;
}

/* A good record's code must be new; 0 when it is, or -1 with the record's
 * error. */
static int check_new_code(struct import_ctx *x, const struct record *r, struct err *err)
{
	char where[48];
	int32_t had;
	int rc = keyset_add(&x->codes, r->e.uscc, r->line, &had);

	if (rc == 0)
		return 0;
	if (rc < 0) {
		err_set(&x->fatal, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return -1;
	}
	snprintf(where, sizeof(where), "column %d (uscc)", x->uscc_column);
	if (had == REGISTERED)
		err_field(err, where, "duplicate_uscc",
		          "uscc: an enterprise with code %s is already registered", r->e.uscc);
	else
		err_field(err, where, "duplicate_uscc",
		          "uscc: code %s is also on line %d of this file", r->e.uscc, (int)had);
	return -1;
}

static int on_record(void *ctx, int line, int nfields, char **fields)
{
	struct import_ctx *x = ctx;
	struct record *r;
	struct err err;

	if (!x->have_header) {
		if (ent_csv_header_parse(&x->header, nfields, fields, &x->fatal))
			return 1;
		x->have_header = 1;
		x->uscc_column = ent_csv_column(&x->header, "uscc");
		return 0;
	}
	if (!x->filling && !(x->filling = batch_get(x))) {
		err_set(&x->fatal, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return 1;
	}
	r = &x->filling->rec[x->filling->n++];
	r->line = line;
	err_clear(&err);
	r->bad = ent_csv_record(&x->header, nfields, fields, &r->e, &err) != 0;
	if (!r->bad && check_new_code(x, r, &err)) {
		if (x->fatal.kind != ERR_NONE)
			return 1;
		r->bad = 1;
	}
	/* Placed here, on the reading thread, so that writing stays the
	 * only work of the other. */
	if (!r->bad && r->e.has_location == 3)
		r->e.grid_id = placement_lookup(r->e.lon, r->e.lat, r->e.jurisdiction_id);
	if (r->bad && x->bad++ < MAX_REPORTED)
		report_err(&x->filling->report, &x->header, line, &err);
	if (x->filling->n == BATCH) {
		struct batch *b = x->filling;
		x->filling = NULL;
		if (!batch_send(x, b))
			return 1;
	}
	return 0;
}

static void *reader(void *arg)
{
	struct import_ctx *x = arg;
	struct err err;

	err_clear(&err);
	if ((x->xlsx ? xlsx_each_record : csv_each_record)(x->data, x->len, on_record, x, &err) &&
	    x->fatal.kind == ERR_NONE)
		x->fatal = err;
	if (x->filling && x->filling->n && x->fatal.kind == ERR_NONE)
		batch_send(x, x->filling);
	else if (x->filling)
		batch_put_spare(x, x->filling);
	x->filling = NULL;
	pthread_mutex_lock(&x->lock);
	x->done = 1;
	pthread_cond_broadcast(&x->changed);
	pthread_mutex_unlock(&x->lock);
	return NULL;
}

/* The next batch from the reader, or NULL once it is done. */
static struct batch *batch_next(struct import_ctx *x)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&x->lock);
	while (!x->count && !x->done)
		pthread_cond_wait(&x->changed, &x->lock);
	if (x->count) {
		b = x->queue[x->head];
		x->head = (x->head + 1) % QUEUE;
		x->count--;
		pthread_cond_broadcast(&x->changed);
	}
	pthread_mutex_unlock(&x->lock);
	return b;
}

static void progress(int tty, long rows, long *last_pct, size_t done_bytes, size_t total, int end)
{
	long pct;
	int bar;

	if (!tty)
		return;
	pct = end ? 100 : (long)((double)done_bytes * 100.0 / (double)(total ? total : 1));
	if (pct > 99 && !end)
		pct = 99;
	if (pct == *last_pct && !end)
		return;
	*last_pct = pct;
	bar = (int)(pct * 30 / 100);
	fprintf(stderr, "\rimporting [%.*s%*s] %3ld%%  %ld rows", bar,
	        "##############################", 30 - bar, "", pct, rows);
	if (end)
		fputc('\n', stderr);
}

/* The file mapped rather than read: a registry of a million rows is
 * hundreds of megabytes, and a mapping shares the pages the system has
 * cached instead of copying them.  Unmapped with munmap(data, *len) when
 * *len is not 0. */
static char *map_file(const char *path, size_t *len)
{
	static char empty[1];
	struct stat sb;
	void *data;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return NULL;
	}
	*len = (size_t)sb.st_size;
	if (!*len) {
		close(fd);
		return empty;
	}
	data = mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	return data == MAP_FAILED ? NULL : data;
}

static void usage(void)
{
	printf("usage: qunyan import enterprises FILE.csv [--jurisdiction CODE]\n"
	       "       qunyan import clusters FILE.csv\n"
	       "       qunyan import indicators FILE.csv\n"
	       "       qunyan import reference-employment FILE.csv\n\n"
	       "Each reads a UTF-8 CSV file (RFC 4180, with or without a byte-order\n"
	       "mark) whose first line names the columns.  All or nothing: one bad\n"
	       "record and nothing is written; every bad record is reported with its\n"
	       "line, column and reason.\n\n"
	       "enterprises: uscc and industry are required; the others are name_zh,\n"
	       "name_en, cluster_id, stage, size, founded, address, lon, lat, employees,\n"
	       "status, status_reason, tags (separated by ;), in_park, uscc_override, and\n"
	       "per contact name, role, phone and email (contact_name ... contact_email\n"
	       "for the first, contact2_name ... contact8_email for the others).\n"
	       "They belong to the town (or the community, village or park below one)\n"
	       "--jurisdiction names by its division code; without it, the home town.\n\n"
	       "clusters: id, code, name_zh, name_en, leading_uscc, secretary; a record\n"
	       "with an id, or with the code of a cluster, replaces it.\n\n"
	       "indicators: uscc or enterprise_id, period (2024-03 or 2024-Q1), revenue,\n"
	       "output, tax, employees, rd, energy (empty: not reported).\n\n"
	       "reference-employment: region, industry (a GB/T 4754 class), employees;\n"
	       "one region, each class once; replaces the reference region's rows.\n");
}

int cmd_import(int argc, char **argv, struct config *cfg)
{
	struct import_ctx *x;
	struct store *st = NULL;
	struct batch *b;
	pthread_t thread;
	size_t len, bom, bytes_hint;
	char *data;
	struct err err;
	int64_t t0, jurisdiction = 0;
	const char *jcode = NULL;
	long rows = 0, bad_writes = 0, last_pct = -1;
	int tty = isatty(2), rc = 1, started = 0, failed = 0;

	if (cli_wants_help(argc, argv)) {
		usage();
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "reference-employment") == 0)
		return argc == 3 ? cmd_import_refemp(argv[2], cfg)
		                 : cli_usage("import reference-employment: give one FILE.csv");
	if (argc < 2 || (strcmp(argv[1], "enterprises") && strcmp(argv[1], "clusters") &&
	                 strcmp(argv[1], "indicators")))
		return cli_usage("import: say what to import: enterprises, clusters or indicators");
	if (argc == 5 && strcmp(argv[1], "enterprises") == 0 &&
	    strcmp(argv[3], "--jurisdiction") == 0)
		jcode = argv[4];
	else if (argc != 3)
		return cli_usage("import %s: give one FILE.csv", argv[1]);
	if (strcmp(argv[1], "indicators") == 0)
		return cmd_import_indicators(argv[2], cfg);
	if (strcmp(argv[1], "clusters") == 0)
		return cmd_import_clusters(argv[2], cfg);
	if (!(data = map_file(argv[2], &len)))
		return cli_fail("import: cannot read '%s'", argv[2]);
	err_clear(&err);
	/* A workbook's strings are UTF-8 by its format (libxml2 checks them);
	 * only a CSV file may come in GBK. */
	bom = 0;
	if (!xlsx_is_archive(data, len) && csv_check_utf8(data, len, &bom, &err)) {
		if (len)
			munmap(data, len);
		return cli_fail("import: %s: %s", argv[2], err.message);
	}
	if (!(x = calloc(1, sizeof(*x)))) {
		if (len)
			munmap(data, len);
		return cli_fail("import: out of memory");
	}
	pthread_mutex_init(&x->lock, NULL);
	pthread_cond_init(&x->changed, NULL);
	err_clear(&x->fatal);
	x->data = data + bom;
	x->len = len - bom;
	x->xlsx = xlsx_is_archive(data, len);
	if (x->xlsx)
		/* Packed, with its strings shared, a workbook's row takes some
		 * 40 bytes; the estimate only sizes the load. */
		bytes_hint = 40;
	else {
		/* The first record's line (the one after the header) stands
		 * in for every record's, to turn rows into a share of the
		 * file for the progress bar and to size the set of codes. */
		const char *end = x->data + x->len;
		const char *nl = memchr(x->data, '\n', x->len);
		const char *nl2 = nl ? memchr(nl + 1, '\n', (size_t)(end - nl - 1)) : NULL;
		bytes_hint = nl2 ? (size_t)(nl2 - nl) : nl ? (size_t)(nl - x->data) + 1 : x->len;
	}
	if (store_open(&st, cfg->db, STORE_MIGRATE, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	if (jcode) {
		struct jurisdiction j;
		if (store_jurisdiction_by_code(st, jcode, &j, &err)) {
			if (err.kind == ERR_NOT_FOUND)
				cli_fail(
				    "import: --jurisdiction: no jurisdiction has the code '%s'",
				    jcode);
			else
				cli_fail_err(&err);
			goto out;
		}
		if (j.level < JL_TOWN) {
			cli_fail(
			    "import: --jurisdiction: enterprises belong to a town or street, or "
			    "a community, village or park below one; %s (%s) is a %s",
			    j.name_zh, j.code, jur_level_name(j.level));
			goto out;
		}
		jurisdiction = j.id;
	}
	t0 = time_mono_us();
	/* Room for about as many codes as the file has records; the set
	 * grows if that is short (with the registered codes, or records
	 * longer than the first). */
	if (keyset_init(&x->codes, USCC_LEN, x->len / (bytes_hint ? bytes_hint : 1) + 1024)) {
		cli_fail("import: out of memory");
		goto out;
	}
	if (placement_prepare(st, &err) ||
	    store_import_begin(st, (long)(x->len / (bytes_hint ? bytes_hint : 1)), add_registered,
	                       x, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	if (pthread_create(&thread, NULL, reader, x)) {
		store_import_end(st, 0, &err);
		cli_fail("import: cannot start a thread");
		goto out;
	}
	started = 1;
	while ((b = batch_next(x))) {
		for (int i = 0; i < b->n && !failed; i++) {
			struct record *r = &b->rec[i];
			if (r->bad)
				continue;
			err_clear(&err);
			r->e.jurisdiction_id = jurisdiction;
			if (store_import_row(st, &r->e, &err) == 0) {
				rows++;
				continue;
			}
			if (err.kind == ERR_INTERNAL) {
				cli_fail_err(&err);
				failed = 1;
				break;
			}
			/* An unknown cluster, or in a load smaller than the
			 * registry a registered code: found by the store,
			 * reported like a bad value. */
			r->bad = 1;
			if (x->bad + bad_writes++ < MAX_REPORTED)
				report_err(&b->report, &x->header, r->line, &err);
		}
		if (b->report.len) {
			if (tty && last_pct >= 0)
				fputc('\n', stderr), last_pct = -1;
			fputs(buf_cstr(&b->report), stderr);
		}
		progress(tty && !x->bad && !bad_writes, rows, &last_pct, (size_t)rows * bytes_hint,
		         x->len, 0);
		batch_put_spare(x, b);
		if (failed) {
			pthread_mutex_lock(&x->lock);
			x->cancelled = 1;
			pthread_cond_broadcast(&x->changed);
			pthread_mutex_unlock(&x->lock);
		}
	}
	pthread_join(thread, NULL);
	started = 0;
	if (failed) {
		store_import_end(st, 0, &err);
		goto out;
	}
	if (x->fatal.kind != ERR_NONE) {
		store_import_end(st, 0, &err);
		cli_fail("import: %s: %s", argv[2], x->fatal.message);
		goto out;
	}
	if (!x->have_header) {
		store_import_end(st, 0, &err);
		cli_fail("import: %s: the file is empty; the first line must name the columns",
		         argv[2]);
		goto out;
	}
	if (x->bad || bad_writes) {
		long nbad = x->bad + bad_writes;
		store_import_end(st, 0, &err);
		if (nbad > MAX_REPORTED)
			fprintf(stderr, "... and %ld more bad records\n", nbad - MAX_REPORTED);
		cli_fail("import: %ld of %ld records are bad; nothing was imported", nbad,
		         rows + nbad);
		goto out;
	}
	{
		struct audit_entry a = {
		    .username = "qunyan import", .action = "import", .entity = "enterprise"};
		struct buf after = BUF_INIT;
		buf_adds(&after, "{\"file\":");
		buf_json_str(&after, argv[2]);
		buf_printf(&after, ",\"rows\":%ld}", rows);
		a.after = buf_cstr(&after);
		/* In the import's transaction: the rows and their audit
		 * entry land together or not at all. */
		if (store_audit_add(st, &a, &err)) {
			buf_release(&after);
			store_import_end(st, 0, &err);
			cli_fail_err(&err);
			goto out;
		}
		buf_release(&after);
	}
	if (store_import_end(st, 1, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	progress(tty, rows, &last_pct, 0, x->len, 1);
	{
		double secs = (double)(time_mono_us() - t0) / 1e6;
		printf("qunyan: imported %ld enterprises in %.2f s (%.0f rows/s)\n", rows, secs,
		       secs > 0 ? (double)rows / secs : 0.0);
		if (rows && store_import_was_bulk(st))
			printf("qunyan: a server adds them to the search index while it serves; "
			       "until then searches find them by reading every row\n");
	}
	rc = 0;
out:
	if (started)
		pthread_join(thread, NULL);
	if (x->filling)
		batch_put_spare(x, x->filling);
	for (int i = 0; i < x->nspare; i++) {
		buf_release(&x->spare[i]->report);
		free(x->spare[i]);
	}
	for (int i = 0; i < x->count; i++) {
		struct batch *q = x->queue[(x->head + i) % QUEUE];
		buf_release(&q->report);
		free(q);
	}
	keyset_free(&x->codes);
	pthread_mutex_destroy(&x->lock);
	pthread_cond_destroy(&x->changed);
	store_close(st);
	free(x);
	if (len)
		munmap(data, len);
	return rc;
}
