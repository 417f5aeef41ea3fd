#include "assets.h"

#include <stdlib.h>
#include <string.h>

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct embedded_file *)elem)->name);
}

const struct embedded_file *assets_find(const char *url)
{
	const char *name = url[0] == '/' ? url + 1 : url;
	const char *last = strrchr(url, '/');

	if (strstr(url, ".."))
		return NULL;
	if (!*name || !strchr(last ? last : url, '.'))
		name = "index.html";
	return bsearch(name, qy_assets, qy_nassets, sizeof(qy_assets[0]), by_name);
}

const char *assets_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".json", "application/json; charset=utf-8"},
	    {".ico", "image/x-icon"},
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

uint32_t assets_hash(const struct embedded_file *f)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < f->len; i++)
		h = (h ^ f->data[i]) * 16777619u;
	return h;
}
