/* The router (src/http/router.h) over a small table of its own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/router.h"

static const struct route routes[] = {
    /* 0 */ {"GET", "/api/v1/enterprises", NULL, 0},
    /* 1 */ {"POST", "/api/v1/enterprises", NULL, 0},
    /* 2 */ {"GET", "/api/v1/enterprises/:id", NULL, 0},
    /* 3 */ {"PUT", "/api/v1/enterprises/:id", NULL, 0},
    /* 4 */ {"DELETE", "/api/v1/enterprises/:id", NULL, 0},
    /* 5 */ {"POST", "/api/v1/enterprises/:id/retire", NULL, 0},
    /* 6 */ {"GET", "/api/v1/clusters/:cid/enterprises/:eid", NULL, 0},
    /* 7 */ {"POST", "/api/v1/session", NULL, 0},
    /* 8 */ {"GET", "/healthz", NULL, 0},
    /* 9 */ {"GET", "/", NULL, 0},
};
#define NROUTES ((int)(sizeof(routes) / sizeof(routes[0])))

struct result {
	enum route_match m;
	int index;
	int nparams;
	const char *params[REQ_MAX_PARAMS];
	char storage[256];
	char allow[64];
};

static enum route_match route(const char *method, const char *path, struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->index = -1;
	r->nparams = -1;
	assert_true(strlen(path) < sizeof(r->storage));
	memset(r->allow, 'Z', sizeof(r->allow) - 1);
	r->m = router_match(routes, NROUTES, method, path, &r->index, r->params, &r->nparams,
	                    r->storage, r->allow, sizeof(r->allow));
	return r->m;
}

static void test_static_paths(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(route("GET", "/api/v1/enterprises", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 0);
	assert_int_equal(r.nparams, 0);
	assert_int_equal(route("POST", "/api/v1/enterprises", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 1);
	assert_int_equal(route("GET", "/healthz", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 8);
	assert_int_equal(route("GET", "/", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 9);
}

static void test_path_parameters(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(route("GET", "/api/v1/enterprises/42", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 2);
	assert_int_equal(r.nparams, 1);
	assert_string_equal(r.params[0], "42");
	/* Parameters are copies in storage, not pointers into the path. */
	assert_true(r.params[0] >= r.storage && r.params[0] < r.storage + sizeof(r.storage));

	assert_int_equal(route("PUT", "/api/v1/enterprises/91350100M000100Y43", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 3);
	assert_string_equal(r.params[0], "91350100M000100Y43");

	assert_int_equal(route("POST", "/api/v1/enterprises/7/retire", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 5);
	assert_int_equal(r.nparams, 1);
	assert_string_equal(r.params[0], "7");

	assert_int_equal(route("GET", "/api/v1/clusters/3/enterprises/17", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 6);
	assert_int_equal(r.nparams, 2);
	assert_string_equal(r.params[0], "3");
	assert_string_equal(r.params[1], "17");

	/* A parameter is one whole segment, of any text but '/'. */
	assert_int_equal(route("GET", "/api/v1/enterprises/%E8%B5%B7", &r), ROUTE_FOUND);
	assert_string_equal(r.params[0], "%E8%B5%B7");
}

static void test_parameter_not_empty(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(route("GET", "/api/v1/clusters//enterprises/17", &r), ROUTE_NO_PATH);
	assert_int_equal(route("POST", "/api/v1/enterprises//retire", &r), ROUTE_NO_PATH);
}

static void test_trailing_slash(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(route("GET", "/api/v1/enterprises/", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "/api/v1/enterprises/42/", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "/healthz/", &r), ROUTE_NO_PATH);
	assert_int_equal(route("POST", "/api/v1/enterprises/7/retire/", &r), ROUTE_NO_PATH);
}

static void test_unknown_paths(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(route("GET", "/api/v1/unknown", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "/api/v1", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "/api/v1/enterprisesX", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "/api/v1/enterprise", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "/api/v1/enterprises/42/contacts", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "/API/v1/enterprises", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "api/v1/enterprises", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "", &r), ROUTE_NO_PATH);
	assert_int_equal(route("GET", "//", &r), ROUTE_NO_PATH);
	/* No route: no Allow list. */
	assert_string_equal(r.allow, "");
}

static void test_wrong_method(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(route("DELETE", "/api/v1/enterprises", &r), ROUTE_WRONG_METHOD);
	assert_string_equal(r.allow, "GET, POST");

	assert_int_equal(route("PATCH", "/api/v1/enterprises/42", &r), ROUTE_WRONG_METHOD);
	assert_string_equal(r.allow, "GET, PUT, DELETE");

	assert_int_equal(route("GET", "/api/v1/enterprises/42/retire", &r), ROUTE_WRONG_METHOD);
	assert_string_equal(r.allow, "POST");

	/* Methods are case-sensitive (RFC 9110, 9.1). */
	assert_int_equal(route("get", "/healthz", &r), ROUTE_WRONG_METHOD);
	assert_string_equal(r.allow, "GET");
}

static void test_head_matches_get(void **state)
{
	struct result r;

	(void)state;
	assert_int_equal(route("HEAD", "/api/v1/enterprises", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 0);
	assert_int_equal(route("HEAD", "/api/v1/clusters/3/enterprises/17", &r), ROUTE_FOUND);
	assert_int_equal(r.index, 6);
	assert_int_equal(r.nparams, 2);
	assert_string_equal(r.params[1], "17");
	/* Only GET: a POST-only path does not answer HEAD. */
	assert_int_equal(route("HEAD", "/api/v1/session", &r), ROUTE_WRONG_METHOD);
	assert_string_equal(r.allow, "POST");
}

/* A short Allow buffer is never overrun. */
static void test_allow_buffer_bounded(void **state)
{
	const char *params[REQ_MAX_PARAMS];
	char storage[64], allow[12];
	int index = -1, nparams = -1;

	(void)state;
	memset(allow, 'Z', sizeof(allow));
	assert_int_equal(router_match(routes, NROUTES, "PATCH", "/api/v1/enterprises/42", &index,
	                              params, &nparams, storage, allow, 10),
	                 ROUTE_WRONG_METHOD);
	assert_true(strlen(allow) < 10);
	assert_int_equal(allow[10], 'Z');
	assert_int_equal(allow[11], 'Z');
	assert_true(strncmp(allow, "GET", 3) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_static_paths),        cmocka_unit_test(test_path_parameters),
	    cmocka_unit_test(test_parameter_not_empty), cmocka_unit_test(test_trailing_slash),
	    cmocka_unit_test(test_unknown_paths),       cmocka_unit_test(test_wrong_method),
	    cmocka_unit_test(test_head_matches_get),    cmocka_unit_test(test_allow_buffer_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
