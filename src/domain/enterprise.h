/*
 * The enterprise record and its rules.
 *
 * Text fields are fixed-size arrays sized by the validation limits (a name
 * is at most 100 characters, so at most 400 bytes of UTF-8): a record is
 * one allocation, copies are plain assignments, and nothing inside it needs
 * freeing.  Every way into the registry (JSON body, CSV row, demo
 * generator) goes through enterprise_set_text() or the typed setters and
 * then enterprise_validate(), so the rules live in one place.
 */
#ifndef QY_ENTERPRISE_H
#define QY_ENTERPRISE_H

#include <stdint.h>

#include "../util/err.h"
#include "uscc.h"

#define ENT_NAME_MAX     100 /* characters */
#define ENT_ADDR_MAX     200
#define ENT_TAG_MAX      32
#define ENT_MAX_TAGS     16
#define ENT_MAX_CONTACTS 8

enum chain_stage {
	STAGE_NONE = 0,
	STAGE_LEADING,
	STAGE_UPSTREAM,
	STAGE_MIDSTREAM,
	STAGE_DOWNSTREAM,
	STAGE_SERVICE
};
enum size_class { SIZE_NONE = 0, SIZE_MICRO, SIZE_SMALL, SIZE_MEDIUM, SIZE_LARGE };
enum ent_status { STATUS_ACTIVE = 0, STATUS_MOVED_OUT, STATUS_CLOSED };

struct contact {
	char name[4 * 50 + 1];
	char role[4 * 50 + 1];
	char phone[33];
	char email[255];
};

struct enterprise {
	int64_t id;
	int64_t version;
	char uscc[USCC_LEN + 1];
	int uscc_override; /* an officer accepted a code that fails its check */
	char name_zh[4 * ENT_NAME_MAX + 1];
	char name_en[4 * ENT_NAME_MAX + 1];
	char industry[5];
	int64_t cluster_id; /* 0: none */
	enum chain_stage stage;
	enum size_class size;
	char founded[11]; /* YYYY-MM-DD or "" */
	char address[4 * ENT_ADDR_MAX + 1];
	int has_location;
	double lon, lat;
	int64_t employees; /* -1: unknown */
	enum ent_status status;
	int in_park;     /* 1: in the park; 0: a partner outside it */
	int64_t grid_id; /* placed by location; 0: in no grid */
	/* The town (or the community, village or park below it) the
	 * enterprise belongs to, and that town's district, the key its rows
	 * are cut by (SCALE.md).  jurisdiction_id 0 on insert: the home town,
	 * jurisdiction 1.  The store sets district_id from the jurisdiction;
	 * both change only by a move (store_enterprise_move). */
	int64_t jurisdiction_id, district_id;
	char status_reason[4 * 200 + 1];
	int ntags;
	char tags[ENT_MAX_TAGS][4 * ENT_TAG_MAX + 1];
	int ncontacts;
	struct contact contacts[ENT_MAX_CONTACTS];
	char created_at[21], updated_at[21];
};

void enterprise_init(struct enterprise *e);
/* The same record as enterprise_init gives, but only the bytes that are
 * ever read are cleared: text after its end, and tags and contacts past
 * ntags and ncontacts, keep what they held.  For bulk loads, which set
 * up a record per row and for which clearing all 10 KiB of one was the
 * largest single cost of reading a file. */
void enterprise_reset(struct enterprise *e);

const char *chain_stage_name(enum chain_stage s);
int chain_stage_parse(const char *s, enum chain_stage *out);
const char *size_class_name(enum size_class s);
int size_class_parse(const char *s, enum size_class *out);
const char *ent_status_name(enum ent_status s);
int ent_status_parse(const char *s, enum ent_status *out);

/*
 * The field table.  `name` is the JSON key and the CSV column heading;
 * `kind` says how text is parsed; `writable` lists who may set the field
 * through an update.
 */
enum ent_field_kind { EF_TEXT, EF_INT, EF_REAL, EF_DATE, EF_ENUM, EF_LIST, EF_BOOL };

struct ent_field {
	const char *name;
	enum ent_field_kind kind;
	int required;           /* on create */
	int enterprise_may_set; /* an enterprise contact may change it */
	const char *rule;       /* the rule in words, used in error messages */
};

extern const struct ent_field ent_fields[];
extern const int ent_nfields;
const struct ent_field *ent_field_find(const char *name);

/*
 * Sets one field from text (a CSV cell, a JSON string, a form value).
 * An empty string clears an optional field.  On a bad value, adds a field
 * error naming the field and the rule and returns -1; the record is left
 * unchanged.  "tags" takes a list separated by ';' or ','.  "contacts"
 * cannot be set from text (see enterprise_set_contact).
 */
int enterprise_set_text(struct enterprise *e, const char *field, const char *text, struct err *err);
int enterprise_set_int(struct enterprise *e, const char *field, int64_t v, struct err *err);
int enterprise_set_real(struct enterprise *e, const char *field, double v, struct err *err);
int enterprise_add_tag(struct enterprise *e, const char *tag, struct err *err);
int enterprise_set_contact(struct enterprise *e, int i, const char *name, const char *role,
                           const char *phone, const char *email, struct err *err);

/*
 * Cross-field rules checked after all fields are set: required fields,
 * location given whole, the USCC check (unless overridden).  Returns -1
 * with every problem listed in err.
 */
int enterprise_validate(const struct enterprise *e, struct err *err);

/* UTF-8 length in characters, or -1 when s is not valid UTF-8. */
long utf8_chars(const char *s);
/* Masks a phone number for display: 13812345678 -> 138****5678. */
void mask_phone(const char *in, char *out, unsigned n);
/* Masks an e-mail address: zhang.wei@example.cn -> z***@example.cn. */
void mask_email(const char *in, char *out, unsigned n);

#endif
