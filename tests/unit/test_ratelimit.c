/* The public intake's token buckets: per address and in total. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "http/ratelimit.h"

static struct sockaddr_in v4(const char *ip)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, ip, &sa.sin_addr);
	return sa;
}

static int take(const char *ip, int per_ip, int total, const char **scope)
{
	struct sockaddr_in sa = v4(ip);

	return rate_intake((struct sockaddr *)&sa, per_ip, total, scope);
}

static void test_per_address_then_total(void **state)
{
	const char *scope = "";
	int wait;

	(void)state;
	/* a minute's worth at once, then the wait for the next one */
	for (int i = 0; i < 3; i++)
		assert_int_equal(take("192.0.2.1", 3, 5, &scope), 0);
	wait = take("192.0.2.1", 3, 5, &scope);
	assert_in_range(wait, 19, 20);
	assert_string_equal(scope, "address");
	/* another address has its own bucket, until the total is spent */
	assert_int_equal(take("192.0.2.2", 3, 5, &scope), 0);
	assert_int_equal(take("192.0.2.2", 3, 5, &scope), 0);
	wait = take("192.0.2.2", 3, 5, &scope);
	assert_in_range(wait, 11, 12);
	assert_string_equal(scope, "total");
	/* a refusal by the total takes nothing from the address */
	assert_int_equal(take("192.0.2.3", 3, 0, &scope), 0);
	assert_int_equal(take("192.0.2.2", 3, 0, &scope), 0);
	assert_int_not_equal(take("192.0.2.2", 3, 0, &scope), 0);
}

static void test_zero_is_no_limit(void **state)
{
	const char *scope = "";

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(take("198.51.100.7", 0, 0, &scope), 0);
}

static void test_many_addresses(void **state)
{
	const char *scope = "";
	char ip[32];

	(void)state;
	/* more addresses than slots: each still gets its own first go */
	for (int i = 0; i < 20000; i++) {
		snprintf(ip, sizeof(ip), "10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		assert_int_equal(take(ip, 1, 0, &scope), 0);
	}
	/* the last one is remembered */
	assert_int_not_equal(take(ip, 1, 0, &scope), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_per_address_then_total),
	    cmocka_unit_test(test_zero_is_no_limit),
	    cmocka_unit_test(test_many_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
