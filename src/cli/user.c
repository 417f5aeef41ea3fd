/*
 * qunyan user add|list|passwd|key
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../store/store.h"
#include "../util/secret.h"
#include "cli.h"

static void usage(void)
{
	printf("usage: qunyan user add USERNAME --role ROLE [--name NAME] [--cluster ID]\n"
	       "                      [--enterprise ID] [--department NAME]\n"
	       "       qunyan user list\n"
	       "       qunyan user passwd USERNAME\n"
	       "       qunyan user key USERNAME [--label TEXT]\n\n"
	       "Roles: admin, officer, secretary (needs --cluster), grid_worker, handler\n"
	       "(needs --department), enterprise (needs --enterprise).  The password is\n"
	       "read from QUNYAN_PASSWORD, or asked for on the terminal.  'key' prints a\n"
	       "new API key for machine clients (Authorization: Bearer KEY); only its\n"
	       "hash is stored, so it is shown once.\n");
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

static int valid_username(const char *s)
{
	size_t n = strlen(s);
	return n >= 2 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Reads the arguments of "user add" into u; a usage error returns 2. */
static int parse_add(int argc, char **argv, struct user *u)
{
	int have_role = 0;

	if (!valid_username(argv[2]))
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
		else
			return cli_usage("user add: unknown option '%s'", argv[i]);
		i++;
	}
	if (!have_role)
		return cli_usage("user add: --role is required");
	if (u->role == ROLE_SECRETARY && u->cluster_id <= 0)
		return cli_usage("user add: a secretary needs --cluster ID");
	if (u->role == ROLE_ENTERPRISE && u->enterprise_id <= 0)
		return cli_usage("user add: an enterprise contact needs --enterprise ID");
	if (u->role == ROLE_HANDLER && !u->department[0])
		return cli_usage("user add: a handler needs --department NAME");
	return 0;
}

int cmd_user(int argc, char **argv, struct config *cfg)
{
	struct store *st = NULL;
	struct err err;
	struct user u;
	char pw[1100];
	int rc = 1;

	if (cli_wants_help(argc, argv) || argc < 2) {
		usage();
		return argc < 2 && !cli_wants_help(argc, argv) ? 2 : 0;
	}
	memset(&u, 0, sizeof(u));
	if (strcmp(argv[1], "add") == 0 && argc >= 3 && (rc = parse_add(argc, argv, &u)) != 0)
		return rc;
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
		if (store_user_add(st, &u, &err)) {
			cli_fail_err(&err);
			goto out;
		}
		printf("qunyan: added %s (%s)\n", u.username, role_name(u.role));
		rc = 0;
	} else if (strcmp(argv[1], "passwd") == 0 && argc == 3) {
		if (store_user_by_name(st, argv[2], &u, &err)) {
			cli_fail_err(&err);
			goto out;
		}
		read_password(pw, sizeof(pw));
		if (check_password(pw))
			goto out;
		if (secret_hash_password(pw, u.password_hash) ||
		    store_user_set_password(st, u.id, u.password_hash, &err)) {
			cli_fail("user passwd: %s", err.message[0] ? err.message : "hash failed");
			goto out;
		}
		printf("qunyan: password of %s changed\n", u.username);
		rc = 0;
	} else if (strcmp(argv[1], "key") == 0 && argc >= 3) {
		char key[68], hash[65];
		const char *label = "";
		for (int i = 3; i + 1 < argc; i += 2)
			if (strcmp(argv[i], "--label") == 0)
				label = argv[i + 1];
		if (store_user_by_name(st, argv[2], &u, &err)) {
			cli_fail_err(&err);
			goto out;
		}
		secret_token(key, 32);
		secret_token_hash(key, hash);
		if (store_key_add(st, hash, u.id, label, &err)) {
			cli_fail_err(&err);
			goto out;
		}
		printf("%s\n", key);
		rc = 0;
	} else {
		usage();
		rc = 2;
	}
out:
	memset(pw, 0, sizeof(pw));
	store_close(st);
	return rc;
}
