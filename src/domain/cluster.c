#include "cluster.h"

#include <string.h>

#include "enterprise.h"
#include "uscc.h"

/* A code is what files and URLs name the cluster by, so it is kept to
 * lower-case ASCII that needs no quoting anywhere. */
static int code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CLUSTER_CODE_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

int cluster_check(const char *code, const char *name_zh, const char *name_en,
                  const char *leading_uscc, struct err *err)
{
	int before = err->nfields;
	long n;

	if (!code_ok(code))
		err_field(err, "code", "invalid_code",
		          "code: 1 to %d characters a-z, 0-9, '_' or '-', starting with a letter",
		          CLUSTER_CODE_MAX);
	n = utf8_chars(name_zh);
	if (n <= 0 || n > CLUSTER_NAME_MAX)
		err_field(err, "name_zh", n < 0 ? "invalid_utf8" : "invalid_length",
		          "name_zh: required, at most %d characters", CLUSTER_NAME_MAX);
	n = utf8_chars(name_en);
	if (n < 0 || n > CLUSTER_NAME_MAX)
		err_field(err, "name_en", n < 0 ? "invalid_utf8" : "invalid_length",
		          "name_en: at most %d characters", CLUSTER_NAME_MAX);
	if (leading_uscc[0]) {
		int pos = 0;
		char expected = 0, msg[160];
		enum uscc_result r = uscc_validate(leading_uscc, &pos, &expected);
		/* An early code that fails only the embedded check is a real
		 * code (the registry accepts it with an override). */
		if (r != USCC_OK && r != USCC_BAD_ORG_CHECK) {
			uscc_describe(r, leading_uscc, pos, expected, msg, sizeof(msg));
			err_field(err, "leading_uscc", "invalid_uscc", "leading_uscc: %s", msg);
		}
	}
	return err->nfields > before ? -1 : 0;
}
