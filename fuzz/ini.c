/*
 * The settings file: config_load reading an INI file through inih (the
 * [server] section, every setting by its table), from the input written
 * to a memory file named as --config names a file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct config c;
	struct err err;

	if (fd < 0) {
		/* The environment's settings would hide the file's. */
		clearenv();
		if ((fd = memfd_create("qunyan.ini", 0)) < 0)
			abort();
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	config_defaults(&c);
	snprintf(c.config_file, sizeof(c.config_file), "/proc/self/fd/%d", fd);
	err_clear(&err);
	if (config_load(&c, &err) && err.kind == ERR_NONE)
		abort();
	return 0;
}
