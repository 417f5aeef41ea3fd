/*
 * The demo's service cards: the work phones of the staff the cards name
 * (grid workers, secretaries, officers) and the service desks of its
 * towns: Zhangyan's enterprise service office and hotline, Zhujing's
 * hotline.  Tables only: cli/init.c writes them through the store.
 */
#ifndef QY_DEMO_CARDS_H
#define QY_DEMO_CARDS_H

struct demo_phone {
	const char *username, *phone;
};
extern const struct demo_phone demo_phones[];
extern const int demo_nphones;

struct demo_desk {
	const char *jurisdiction_code;
	const char *office_department; /* by name; NULL for none */
	const char *office_phone;
	const char *hotline_zh, *hotline_en, *hotline_phone;
};
extern const struct demo_desk demo_desks[];
extern const int demo_ndesks;

#endif
