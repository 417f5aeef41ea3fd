/*
 * qunyan user add|list|passwd|disable|enable|key
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../store/store.h"
#include "../util/secret.h"
#include "../api/api.h"
#include "../domain/account.h"
#include "cli.h"

#define AUDIT_NAME    "qunyan user"
#define KEY_LABEL_MAX 100 /* characters, as the API's */

static void usage(void)
{
	printf("usage: qunyan user add USERNAME --role ROLE [--name NAME] [--cluster ID]\n"
	       "                      [--enterprise ID] [--department NAME] [--jurisdiction CODE]\n"
	       "       qunyan user list\n"
	       "       qunyan user passwd USERNAME\n"
	       "       qunyan user disable|enable USERNAME\n"
	       "       qunyan user key USERNAME [--label TEXT]\n"
	       "       qunyan user key --list USERNAME\n"
	       "       qunyan user key --revoke KEYID\n\n"
	       "Roles: admin, officer, secretary (needs --cluster), grid_worker, handler\n"
	       "(needs --department), enterprise (needs --enterprise).  --jurisdiction\n"
	       "limits the user to that jurisdiction and all below it (by its division\n"
	       "code; without it, the whole tree).  The password is\n"
	       "read from QUNYAN_PASSWORD, or asked for on the terminal.  'passwd' ends\n"
	       "every session of the user; its API keys keep working until revoked.\n"
	       "'disable' ends every session of the user at once and refuses its keys\n"
	       "until 'enable'.  'key' prints a new API key for machine clients\n"
	       "(Authorization: Bearer KEY) on standard output and its id on standard\n"
	       "error; only its hash is stored, so it is shown once.  '--list' shows a\n"
	       "user's keys by id and label, '--revoke' ends one at once.  Every change\n"
	       "is written to the audit log.\n");
}

static int read_password(char *out, size_t n)
{
	const char *env = getenv("QUNYAN_PASSWORD");
	struct termios old, quiet;
	int tty = isatty(0);

	if (env) {
		snprintf(out, n, "%s", env);
		return 0;
	}
	fprintf(stderr, "password: ");
	if (tty && tcgetattr(0, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSANOW, &quiet);
	}
	if (!fgets(out, (int)n, stdin))
		out[0] = '\0';
	if (tty) {
		tcsetattr(0, TCSANOW, &old);
		fputc('\n', stderr);
	}
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int check_password(const char *pw)
{
	if (strlen(pw) < 8)
		return cli_fail("password: must be at least 8 characters");
	if (strlen(pw) > 1024)
		return cli_fail("password: must be at most 1024 bytes");
	return 0;
}

static int list_one(void *ctx, const struct user *u)
{
	(void)ctx;
	printf("%-5lld %-16s %-12s %-20s", (long long)u->id, u->username, role_name(u->role),
	       u->display_name);
	if (u->cluster_id)
		printf(" cluster=%lld", (long long)u->cluster_id);
	if (u->enterprise_id)
		printf(" enterprise=%lld", (long long)u->enterprise_id);
	if (u->department[0])
		printf(" department=%s", u->department);
	printf("%s\n", u->disabled ? " (disabled)" : "");
	return 0;
}

/* Reads the arguments of "user add" into u; a usage error returns 2. */
static int parse_add(int argc, char **argv, struct user *u, char jur_code[JUR_CODE_MAX + 1])
{
	int have_role = 0;

	if (!account_username_valid(argv[2]))
		return cli_usage("user add: username must be 2-64 of a-z 0-9 . _ -");
	snprintf(u->username, sizeof(u->username), "%s", argv[2]);
	for (int i = 3; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return cli_usage("user add: %s needs a value", argv[i]);
		if (strcmp(argv[i], "--role") == 0) {
			if (role_parse(v, &u->role))
				return cli_usage(
				    "user add: --role must be admin, officer, secretary, "
				    "grid_worker, handler or enterprise");
			have_role = 1;
		} else if (strcmp(argv[i], "--name") == 0)
			snprintf(u->display_name, sizeof(u->display_name), "%s", v);
		else if (strcmp(argv[i], "--cluster") == 0)
			u->cluster_id = atoll(v);
		else if (strcmp(argv[i], "--enterprise") == 0)
			u->enterprise_id = atoll(v);
		else if (strcmp(argv[i], "--department") == 0)
			snprintf(u->department, sizeof(u->department), "%s", v);
		else if (strcmp(argv[i], "--jurisdiction") == 0) {
			if (strlen(v) > JUR_CODE_MAX)
				return cli_usage("user add: --jurisdiction is a division code of "
				                 "at most %d digits",
				                 JUR_CODE_MAX);
			snprintf(jur_code, JUR_CODE_MAX + 1, "%s", v);
		} else
			return cli_usage("user add: unknown option '%s'", argv[i]);
		i++;
	}
	if (!have_role)
		return cli_usage("user add: --role is required");
	{
		struct account_ties ties = {u->role, u->cluster_id, u->enterprise_id,
		                            u->department};
		struct err err;
		err_clear(&err);
		if (account_check_ties(&ties, &err))
			return cli_usage("user add: %s (--cluster, --enterprise, --department)",
			                 err.message);
	}
	return 0;
}

/* An audit entry of the command, in st's transaction. */
static int audit(struct store *st, const char *action, const char *entity, int64_t id,
                 const char *before, const char *after, struct err *err)
{
	struct audit_entry a = {.username = AUDIT_NAME,
	                        .action = action,
	                        .entity = entity,
	                        .entity_id = id,
	                        .before = before,
	                        .after = after};
	return store_audit_add(st, &a, err);
}

static void key_audit_json(struct buf *out, const struct api_key *k)
{
	buf_printf(out, "{\"id\":%lld,\"user_id\":%lld,\"username\":", (long long)k->id,
	           (long long)k->user_id);
	buf_json_str(out, k->username);
	buf_adds(out, ",\"label\":");
	buf_json_str(out, k->label);
	buf_adds(out, ",\"created_at\":");
	buf_json_str(out, k->created_at);
	buf_adds(out, ",\"revoked_at\":");
	buf_json_str(out, k->revoked_at[0] ? k->revoked_at : NULL);
	buf_addc(out, '}');
}

/* Runs fn's writes and their audit entry in one transaction. */
static int in_transaction(struct store *st, struct err *err, int failed)
{
	if (failed) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

static int passwd(struct store *st, const char *username)
{
	struct user u;
	struct err err;
	struct buf after = BUF_INIT;
	char pw[1100];
	int ended = 0, rc = 1;

	err_clear(&err);
	memset(&u, 0, sizeof(u));
	if (store_user_by_name(st, username, &u, &err))
		return cli_fail_err(&err);
	read_password(pw, sizeof(pw));
	if (check_password(pw))
		goto out;
	if (secret_hash_password(pw, u.password_hash)) {
		cli_fail("user passwd: cannot hash the password (out of memory?)");
		goto out;
	}
	if (store_begin(st, &err) == 0) {
		int failed =
		    store_user_set_password(st, u.id, u.password_hash, NULL, &ended, &err) ||
		    store_login_succeeded(st, u.username, &err);
		if (!failed) {
			buf_printf(&after, "{\"sessions_ended\":%d}", ended);
			failed =
			    audit(st, "reset_password", "user", u.id, NULL, buf_cstr(&after), &err);
		}
		if (in_transaction(st, &err, failed) == 0 &&
		    store_user_get(st, u.id, &u, &err) == 0) {
			printf("qunyan: password of %s changed; %d session%s ended; its %lld API "
			       "key%s still work%s (qunyan user key --list, --revoke)\n",
			       u.username, ended, ended == 1 ? "" : "s", (long long)u.keys,
			       u.keys == 1 ? "" : "s", u.keys == 1 ? "s" : "");
			rc = 0;
			goto out;
		}
	}
	cli_fail("user passwd: %s", err.message[0] ? err.message : "failed");
out:
	memset(pw, 0, sizeof(pw));
	buf_release(&after);
	return rc;
}

static int set_disabled(struct store *st, const char *username, int disabled)
{
	struct user u;
	struct err err;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int ended = 0, failed;

	err_clear(&err);
	if (store_user_by_name(st, username, &u, &err))
		return cli_fail_err(&err);
	if (u.disabled == disabled) {
		printf("qunyan: %s is already %s\n", u.username, disabled ? "disabled" : "enabled");
		return 0;
	}
	if (store_begin(st, &err))
		return cli_fail_err(&err);
	api_user_audit_json(&before, &u, -1);
	failed = store_user_set_disabled(st, u.id, disabled, &ended, &err);
	if (!failed) {
		u.disabled = disabled;
		api_user_audit_json(&after, &u, ended);
		failed = audit(st, disabled ? "disable" : "enable", "user", u.id, buf_cstr(&before),
		               buf_cstr(&after), &err);
	}
	buf_release(&before);
	buf_release(&after);
	if (in_transaction(st, &err, failed))
		return cli_fail_err(&err);
	if (disabled)
		printf("qunyan: %s disabled; %d session%s ended; its API keys are refused until "
		       "it is enabled\n",
		       u.username, ended, ended == 1 ? "" : "s");
	else
		printf("qunyan: %s enabled\n", u.username);
	return 0;
}

static long utf8_count(const char *s)
{
	long n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int key_add(struct store *st, const char *username, const char *label)
{
	struct user u;
	struct api_key k;
	struct err err;
	struct buf after = BUF_INIT;
	char key[68], hash[65];
	int failed;

	err_clear(&err);
	if (store_user_by_name(st, username, &u, &err))
		return cli_fail_err(&err);
	if (u.disabled)
		return cli_fail("user key: %s is disabled; enable it first (qunyan user enable %s)",
		                u.username, u.username);
	secret_token(key, 32);
	secret_token_hash(key, hash);
	if (store_begin(st, &err))
		return cli_fail_err(&err);
	failed = store_key_create(st, hash, u.id, label, &k, &err);
	if (!failed) {
		key_audit_json(&after, &k);
		failed = audit(st, "create", "api_key", k.id, NULL, buf_cstr(&after), &err);
	}
	buf_release(&after);
	if (in_transaction(st, &err, failed))
		return cli_fail_err(&err);
	printf("%s\n", key);
	fprintf(stderr, "qunyan: made API key %lld of %s%s%s%s; it is shown this once\n",
	        (long long)k.id, u.username, k.label[0] ? " (" : "", k.label,
	        k.label[0] ? ")" : "");
	return 0;
}

static int key_list_one(void *ctx, const struct api_key *k)
{
	char status[40];

	(void)ctx;
	snprintf(status, sizeof(status), "%s%s", k->revoked_at[0] ? "revoked " : "active",
	         k->revoked_at);
	printf("%-5lld %-20s %-28s %s\n", (long long)k->id, k->created_at, status, k->label);
	return 0;
}

static int key_list(struct store *st, const char *username)
{
	struct user u;
	struct err err;

	err_clear(&err);
	if (store_user_by_name(st, username, &u, &err))
		return cli_fail_err(&err);
	printf("%-5s %-20s %-28s %s\n", "ID", "CREATED", "STATUS", "LABEL");
	return store_key_list(st, u.id, key_list_one, NULL, &err) ? cli_fail_err(&err) : 0;
}

static int key_revoke(struct store *st, int64_t id)
{
	struct api_key k;
	struct err err;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int failed;

	err_clear(&err);
	if (store_begin(st, &err))
		return cli_fail_err(&err);
	failed = store_key_by_id(st, id, &k, &err);
	if (!failed) {
		key_audit_json(&before, &k);
		failed = store_key_revoke(st, id, &k, &err);
	}
	if (!failed) {
		key_audit_json(&after, &k);
		failed =
		    audit(st, "revoke", "api_key", k.id, buf_cstr(&before), buf_cstr(&after), &err);
	}
	buf_release(&before);
	buf_release(&after);
	if (in_transaction(st, &err, failed))
		return cli_fail_err(&err);
	printf("qunyan: API key %lld of %s revoked\n", (long long)k.id, k.username);
	return 0;
}

/* What "user key" was asked: make (user, label), list (user), revoke
 * (id).  A usage error returns 2. */
struct key_args {
	enum { KEY_ADD, KEY_LIST, KEY_REVOKE } op;
	const char *user, *label;
	int64_t id;
};

static int parse_key(int argc, char **argv, struct key_args *k)
{
	memset(k, 0, sizeof(*k));
	k->label = "";
	if (argc >= 3 && strcmp(argv[2], "--list") == 0) {
		if (argc != 4)
			return cli_usage("user key --list needs one USERNAME");
		k->op = KEY_LIST;
		k->user = argv[3];
		return 0;
	}
	if (argc >= 3 && strcmp(argv[2], "--revoke") == 0) {
		char *end;
		long long v;
		if (argc != 4)
			return cli_usage("user key --revoke needs one KEYID");
		v = strtoll(argv[3], &end, 10);
		if (!*argv[3] || *end || v <= 0 || strspn(argv[3], "0123456789") != strlen(argv[3]))
			return cli_usage("user key --revoke: '%s' is not a key id (a positive "
			                 "whole number, as 'user key --list' shows)",
			                 argv[3]);
		k->op = KEY_REVOKE;
		k->id = v;
		return 0;
	}
	if (argc < 3 || argv[2][0] == '-')
		return cli_usage("user key needs a USERNAME, --list USERNAME or --revoke KEYID");
	k->op = KEY_ADD;
	k->user = argv[2];
	for (int i = 3; i < argc; i += 2) {
		if (strcmp(argv[i], "--label") != 0)
			return cli_usage("user key: unknown option '%s'", argv[i]);
		if (i + 1 >= argc)
			return cli_usage("user key: --label needs a value");
		k->label = argv[i + 1];
	}
	if (utf8_count(k->label) > KEY_LABEL_MAX)
		return cli_usage("user key: --label must be at most %d characters", KEY_LABEL_MAX);
	return 0;
}

int cmd_user(int argc, char **argv, struct config *cfg)
{
	struct store *st = NULL;
	struct err err;
	struct user u;
	char jur_code[JUR_CODE_MAX + 1];
	char pw[1100];
	int rc = 1;

	if (cli_wants_help(argc, argv) || argc < 2) {
		usage();
		return argc < 2 && !cli_wants_help(argc, argv) ? 2 : 0;
	}
	struct key_args key = {.op = KEY_ADD};

	memset(&u, 0, sizeof(u));
	jur_code[0] = '\0';
	if (strcmp(argv[1], "add") == 0 && argc >= 3 &&
	    (rc = parse_add(argc, argv, &u, jur_code)) != 0)
		return rc;
	if (strcmp(argv[1], "key") == 0 && (rc = parse_key(argc, argv, &key)) != 0)
		return rc;
	if ((strcmp(argv[1], "passwd") == 0 || strcmp(argv[1], "disable") == 0 ||
	     strcmp(argv[1], "enable") == 0) &&
	    argc != 3)
		return cli_usage("user %s needs one USERNAME", argv[1]);
	if (strcmp(argv[1], "list") == 0 && argc != 2)
		return cli_usage("user list takes no arguments");
	if (strcmp(argv[1], "add") && strcmp(argv[1], "list") && strcmp(argv[1], "passwd") &&
	    strcmp(argv[1], "disable") && strcmp(argv[1], "enable") && strcmp(argv[1], "key"))
		return cli_usage("user: unknown subcommand '%s'", argv[1]);
	if (strcmp(argv[1], "add") == 0 && argc < 3)
		return cli_usage("user add needs a USERNAME and --role ROLE");
	rc = 1;
	err_clear(&err);
	if (secret_init())
		return cli_fail("user: libsodium failed to start");
	if (store_open(&st, cfg->db, STORE_MIGRATE, &err))
		return cli_fail_err(&err);
	if (strcmp(argv[1], "list") == 0) {
		rc = store_user_each(st, list_one, NULL, &err) ? cli_fail_err(&err) : 0;
	} else if (strcmp(argv[1], "add") == 0 && argc >= 3) {
		read_password(pw, sizeof(pw));
		if (check_password(pw))
			goto out;
		if (secret_hash_password(pw, u.password_hash)) {
			cli_fail("user add: cannot hash the password (out of memory?)");
			goto out;
		}
		if (store_begin(st, &err) == 0) {
			struct buf after = BUF_INIT;
			struct jurisdiction j;
			int failed = 0;

			if (jur_code[0] &&
			    !(failed = store_jurisdiction_by_code(st, jur_code, &j, &err)))
				u.jurisdiction_id = j.id;
			if (!failed)
				failed = store_user_add(st, &u, &err);
			if (!failed) {
				api_user_audit_json(&after, &u, -1);
				failed =
				    audit(st, "create", "user", u.id, NULL, buf_cstr(&after), &err);
			}
			buf_release(&after);
			if (in_transaction(st, &err, failed) == 0) {
				printf("qunyan: added %s (%s)\n", u.username, role_name(u.role));
				rc = 0;
				goto out;
			}
		}
		cli_fail_err(&err);
	} else if (strcmp(argv[1], "passwd") == 0) {
		rc = passwd(st, argv[2]);
	} else if (strcmp(argv[1], "disable") == 0 || strcmp(argv[1], "enable") == 0) {
		rc = set_disabled(st, argv[2], strcmp(argv[1], "disable") == 0);
	} else if (key.op == KEY_LIST) {
		rc = key_list(st, key.user);
	} else if (key.op == KEY_REVOKE) {
		rc = key_revoke(st, key.id);
	} else {
		rc = key_add(st, key.user, key.label);
	}
out:
	memset(pw, 0, sizeof(pw));
	store_close(st);
	return rc;
}
