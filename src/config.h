/*
 * Settings, from lowest to highest precedence: built-in defaults, the INI
 * file (--config FILE or QUNYAN_CONFIG), the environment (QUNYAN_*), and
 * command-line flags.  One table (config.c) names every setting once.
 */
#ifndef QY_CONFIG_H
#define QY_CONFIG_H

#include <stdint.h>

#include "util/err.h"

struct config {
	char db[1024];
	char listen[256];
	/* A reverse proxy (nginx) in front: its X-Real-IP is the client. */
	char trusted_proxy[64];
	int threads;
	int64_t max_body;
	int max_connections;
	int max_per_ip;
	int max_header;
	int idle_timeout;
	int request_timeout;
	int header_timeout;
	/* Public case submissions (the suggestion form, Open311) per minute,
	 * from one client address and in all; 0 for no limit. */
	int intake_per_ip;
	int intake_total;
	char access_log[1024];
	int session_hours;
	int secure_cookies;
	int login_max_failures;
	int login_window;
	int alert_fall_percent;
	int alert_visit_days;
	int reopen_days;
	int erase_days;
	int group_commit;
	int maintenance_seconds;
	int webhook_timeout;
	int64_t photo_max;
	/* Origins whose web pages may read Open311's answers (CORS): a
	 * comma-separated list, * for any, "" for none. */
	char open311_origins[1024];
	/* The address the public reaches the server at, which the links on
	 * the service cards begin with; "" derives it from listen. */
	char public_url[512];
	/* The city's public service hotline every card names; "" for none. */
	char city_hotline[41];
	/* The title of the town's printed booklet (its cover), in Chinese
	 * and English: 100 characters of UTF-8 each. */
	char town_title[401], town_title_en[401];
	char config_file[1024];
};

void config_defaults(struct config *c);
/* Applies the INI file and the environment. */
int config_load(struct config *c, struct err *err);
/*
 * Consumes settings flags from argv (--db FILE, --listen ADDR, ...);
 * other arguments are left in place, compacted, and *argc updated.
 */
int config_flags(struct config *c, int *argc, char **argv, struct err *err);
/* Prints the settings table for --help. */
void config_usage(void);

#endif
