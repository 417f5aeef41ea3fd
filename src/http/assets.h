#ifndef QY_ASSETS_H
#define QY_ASSETS_H

#include <stdint.h>

#include "../util/embed.h"

/*
 * The console's file for a URL path.  Paths without a file extension are
 * the console's own routes (/enterprises/12) and get index.html, so that
 * a reload or a shared link opens the right screen.
 */
const struct embedded_file *assets_find(const char *url);
const char *assets_type(const char *name);
/* FNV-1a of the content, for the ETag. */
uint32_t assets_hash(const struct embedded_file *f);

#endif
