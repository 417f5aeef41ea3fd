/*
 * qunyan report --period 2024Q4 [--scope CODE|ID] --format xlsx|pdf --output FILE
 * qunyan import reference-employment FILE.csv
 *
 * The quarterly report: the dashboard of a jurisdiction (the whole tree
 * by default) for a period, as the workbook or the PDF that GET
 * /api/v1/dashboard/report.xlsx|.pdf gives, from the same struct
 * (service/dashboard.c).  The file is written only once it is whole.
 *
 * The reference region's employment by GB/T 4754 class, which the
 * clusters' location quotients compare against: every problem of the file
 * is named with its line, and a file with any is imported not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../domain/refemp.h"
#include "../print/print_report.h"
#include "../service/dashboard.h"
#include "../store/store_dash.h"
#include "../util/timeutil.h"
#include "cli.h"

static int usage(int code)
{
	printf("usage: qunyan report --period PERIOD [--scope CODE|ID] --format xlsx|pdf "
	       "--output FILE\n\n"
	       "Writes the dashboard of the scope (a jurisdiction's code or id; the whole tree\n"
	       "by default) for PERIOD (%s) as a workbook\n"
	       "(one sheet per topic) or as a PDF report.\n",
	       dash_period_forms);
	return code;
}

static int publish(const char *tmp, const char *path)
{
	if (rename(tmp, path)) {
		unlink(tmp);
		return cli_fail("report: cannot write '%s'", path);
	}
	return 0;
}

int cmd_report(int argc, char **argv, struct config *cfg)
{
	const char *period = NULL, *scope = NULL, *format = NULL, *output = NULL;
	struct dash_request q;
	struct dashboard d;
	struct jurisdiction *nodes = NULL;
	size_t n = 0;
	struct store *st;
	struct err err;
	char today[11], now[21], why[200], tmp[4200];
	int rc = 1, pdf;

	if (cli_wants_help(argc, argv))
		return usage(0);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--period") == 0 && i + 1 < argc)
			period = argv[++i];
		else if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc)
			scope = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc)
			output = argv[++i];
		else
			return cli_usage("report: unexpected argument '%s'", argv[i]);
	}
	if (!format || (strcmp(format, "xlsx") && strcmp(format, "pdf")))
		return cli_usage("report: --format must be xlsx or pdf");
	if (!output)
		return cli_usage("report: --output FILE is required");
	pdf = strcmp(format, "pdf") == 0;
	time_iso(time(NULL) + 8 * 3600, now);
	memcpy(today, now, 10);
	today[10] = '\0';
	memset(&q, 0, sizeof(q));
	if (!period)
		dash_period_of(DP_QUARTER, today, &q.period);
	else if (dash_period_parse(period, today, &q.period, why, sizeof(why)))
		return cli_usage("report: --period: %s", why);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", output) >= (int)sizeof(tmp))
		return cli_usage("report: '%s': the name is too long", output);

	err_clear(&err);
	dashboard_init(&d);
	if (store_open(&st, cfg->db, STORE_READONLY, &err))
		return cli_fail_err(&err);
	if (store_read_begin(st, &err) || store_jurisdiction_all(st, &nodes, &n, &err))
		goto fail;
	q.at = n;
	for (size_t i = 0; i < n; i++) {
		if (scope ? strcmp(nodes[i].code, scope) == 0 ||
		                (atoll(scope) > 0 && nodes[i].id == atoll(scope))
		          : !nodes[i].parent_id) {
			q.at = i;
			break;
		}
	}
	if (q.at == n) {
		store_read_end(st);
		store_close(st);
		free(nodes);
		return cli_usage("report: --scope: no jurisdiction with the code or id '%s'",
		                 scope ? scope : "");
	}
	q.tree = nodes;
	q.ntree = n;
	q.today = today;
	q.alert_fall = cfg->alert_fall_percent / 100.0;
	q.alert_visit_days = cfg->alert_visit_days;
	time_now_iso(d.generated_at);
	if (dashboard_build(st, &q, &d, &err))
		goto fail;
	store_read_end(st);
	if (pdf) {
		struct buf out = BUF_INIT;
		FILE *f;
		if (print_dashboard_pdf(&d, &out, &err)) {
			buf_release(&out);
			goto fail_closed;
		}
		if (!(f = fopen(tmp, "wb")) || fwrite(out.s, 1, out.len, f) != out.len ||
		    fclose(f)) {
			buf_release(&out);
			unlink(tmp);
			cli_fail("report: cannot write '%s'", tmp);
			goto done;
		}
		buf_release(&out);
	} else if (dashboard_xlsx(&d, tmp, &err)) {
		unlink(tmp);
		goto fail_closed;
	}
	if (publish(tmp, output))
		goto done;
	printf("qunyan: wrote the report of %s for %s to %s\n", d.scope_zh, d.period.label, output);
	rc = 0;
	goto done;
fail:
	store_read_end(st);
fail_closed:
	cli_fail_err(&err);
done:
	store_close(st);
	free(nodes);
	dashboard_free(&d);
	return rc;
}

int cmd_import_refemp(const char *path, struct config *cfg)
{
	struct refemp_file f;
	struct store *st;
	struct err err;
	struct stat sb;
	char *data = NULL, now[21], after[120];
	FILE *in;
	int rc = 1;

	if (!(in = fopen(path, "rb")) || fstat(fileno(in), &sb) || sb.st_size > (64 << 20) ||
	    !(data = malloc((size_t)sb.st_size + 1)) ||
	    fread(data, 1, (size_t)sb.st_size, in) != (size_t)sb.st_size) {
		if (in)
			fclose(in);
		free(data);
		return cli_fail("import: cannot read '%s'", path);
	}
	fclose(in);
	memset(&f, 0, sizeof(f));
	err_clear(&err);
	if (refemp_parse(data, (size_t)sb.st_size, &f, &err)) {
		free(data);
		refemp_free(&f);
		return cli_fail("import: %s: %s", path, err.message);
	}
	free(data);
	if (f.nproblems) {
		for (size_t i = 0; i < f.nproblems; i++)
			fprintf(stderr, "%s: %s\n", path, f.problems[i].message);
		cli_fail("import: %zu line%s of %s %s wrong; nothing was imported", f.nproblems,
		         f.nproblems == 1 ? "" : "s", path, f.nproblems == 1 ? "is" : "are");
		refemp_free(&f);
		return 1;
	}
	if (store_open(&st, cfg->db, STORE_MIGRATE, &err)) {
		refemp_free(&f);
		return cli_fail_err(&err);
	}
	time_now_iso(now);
	snprintf(after, sizeof(after), "{\"rows\":%zu}", f.n);
	{
		struct audit_entry a = {.username = "qunyan import",
		                        .action = "import_reference_employment",
		                        .entity = "reference_employment",
		                        .after = after};
		if (store_begin(st, &err) || store_refemp_replace(st, f.rows, f.n, now, &err) ||
		    store_audit_add(st, &a, &err) || store_commit(st, &err)) {
			store_rollback(st);
			cli_fail_err(&err);
		} else {
			printf("qunyan: imported the employment of %s in %zu classes\n",
			       f.rows[0].region, f.n);
			rc = 0;
		}
	}
	store_close(st);
	refemp_free(&f);
	return rc;
}
