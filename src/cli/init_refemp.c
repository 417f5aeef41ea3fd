#include "init_refemp.h"

#include <string.h>

#include "../domain/refemp.h"
#include "../store/store_dash.h"
#include "../util/embed.h"
#include "../util/timeutil.h"

int load_demo_reference(struct store *st, struct err *err)
{
	struct refemp_file f;
	char now[21];
	int rc = -1;

	for (size_t i = 0; i < qy_ndemo_texts; i++) {
		if (strcmp(qy_demo_texts[i].name, "reference_employment.txt") != 0)
			continue;
		memset(&f, 0, sizeof(f));
		if (refemp_parse((const char *)qy_demo_texts[i].data, qy_demo_texts[i].len, &f,
		                 err))
			goto out;
		if (f.nproblems) {
			err_set(err, ERR_INTERNAL, "internal", NULL,
			        "the demo's reference employment: %s", f.problems[0].message);
			goto out;
		}
		time_now_iso(now);
		rc = store_refemp_replace(st, f.rows, f.n, now, err);
	out:
		refemp_free(&f);
		return rc;
	}
	return 0;
}
