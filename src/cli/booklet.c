/*
 * qunyan booklet --lang zh|en --output FILE
 *
 * The service booklet as an A5 PDF, from the database as it is: the same
 * contents as GET /api/v1/booklet.pdf for the whole tree of
 * jurisdictions (service/booklet.c).  The file is written only once the
 * whole booklet is made, so a failure leaves no half of one.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../domain/card.h"
#include "../service/booklet.h"
#include "../store/store.h"
#include "cli.h"

static int usage(int code)
{
	printf("usage: qunyan booklet --lang zh|en --output FILE\n\n"
	       "Prints the service booklet as an A5 PDF into FILE (- for standard output):\n"
	       "the cover with the town's title (settings town-title, town-title-en), the\n"
	       "contents, the clusters and their leading enterprises, the services by\n"
	       "category, the collection points, and a QR code of the online catalogue\n"
	       "(under the setting public-url, else the listen address).\n");
	return code;
}

static int write_file(const char *path, const struct buf *b)
{
	char tmp[4200];
	FILE *f;

	if (strcmp(path, "-") == 0) {
		if (fwrite(b->s, 1, b->len, stdout) != b->len || fflush(stdout))
			return cli_fail("booklet: cannot write to standard output");
		return 0;
	}
	/* A copy beside the file, renamed over it when complete. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return cli_fail("booklet: '%s': the name is too long", path);
	if (!(f = fopen(tmp, "wb")))
		return cli_fail("booklet: cannot write '%s'", tmp);
	if (fwrite(b->s, 1, b->len, f) != b->len || fclose(f)) {
		unlink(tmp);
		return cli_fail("booklet: cannot write '%s'", tmp);
	}
	if (rename(tmp, path)) {
		unlink(tmp);
		return cli_fail("booklet: cannot write '%s'", path);
	}
	return 0;
}

int cmd_booklet(int argc, char **argv, struct config *cfg)
{
	const char *lang_arg = NULL, *output = NULL;
	struct booklet_opts o;
	struct buf out = BUF_INIT;
	enum print_lang lang;
	struct store *st;
	struct err err;
	char base[600], host[256] = "";
	int rc;

	if (cli_wants_help(argc, argv))
		return usage(0);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang_arg = argv[++i];
		else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc)
			output = argv[++i];
		else
			return cli_usage("booklet: unexpected argument '%s'", argv[i]);
	}
	if (!lang_arg || print_lang_parse(lang_arg, &lang))
		return cli_usage("booklet: --lang must be zh or en");
	if (!output)
		return cli_usage("booklet: --output FILE is required");
	gethostname(host, sizeof(host) - 1);
	if (card_base_url(cfg->public_url, cfg->listen, host, base, sizeof(base)))
		return cli_usage("booklet: public-url '%s' must begin with http:// or https:// and "
		                 "name a host",
		                 cfg->public_url);

	memset(&o, 0, sizeof(o));
	o.title_zh = cfg->town_title;
	o.title_en = cfg->town_title_en;
	o.base_url = base;
	err_clear(&err);
	if (store_open(&st, cfg->db, STORE_READONLY, &err))
		return cli_fail_err(&err);
	/* One moment of the database for the whole booklet. */
	rc = store_read_begin(st, &err);
	if (rc == 0) {
		rc = booklet_render(st, &o, lang, &out, &err);
		store_read_end(st);
	}
	store_close(st);
	if (rc) {
		buf_release(&out);
		return cli_fail_err(&err);
	}
	rc = write_file(output, &out);
	if (rc == 0 && strcmp(output, "-") != 0)
		printf("qunyan: wrote the booklet (%s, %zu bytes) to %s\n", lang_arg, out.len,
		       output);
	buf_release(&out);
	return rc;
}
