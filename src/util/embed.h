/* Files built into the binary at compile time (cmake/embed.cmake). */
#ifndef QY_EMBED_H
#define QY_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* The console (web/), sorted by name. */
extern const struct embedded_file qy_assets[];
extern const size_t qy_nassets;
/* Schema migrations (src/store/migrations/NNN_*.sql), in order. */
extern const struct embedded_file qy_migrations[];
extern const size_t qy_nmigrations;
/* PostgreSQL's migrations, and the functions its SQL borrows from SQLite. */
extern const struct embedded_file qy_migrations_pg[];
extern const size_t qy_nmigrations_pg;
extern const struct embedded_file qy_pg_compat[];
extern const size_t qy_npg_compat;
/* The demo town's own texts (src/demo/: the bulletin's items). */
extern const struct embedded_file qy_demo_texts[];
extern const size_t qy_ndemo_texts;

#endif
