#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void __attribute__((format(printf, 1, 0))) say(const char *fmt, va_list ap)
{
	fputs("qunyan: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return 1;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	fputs("(qunyan COMMAND --help tells more)\n", stderr);
	return 2;
}

int cli_fail_err(const struct err *e)
{
	cli_fail("%s", e->message[0] ? e->message : "failed");
	for (int i = 1; i < e->nfields; i++)
		fprintf(stderr, "  %s\n", e->fields[i].message);
	return 1;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}
