#include "secret.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u << 20)

int secret_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

int secret_hash_password(const char *password, char out[128])
{
	return crypto_pwhash_str(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT);
}

int secret_check_password(const char *password, const char *hash)
{
	if (!hash || !*hash)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void secret_token(char *out, size_t n)
{
	unsigned char raw[64];

	if (n > sizeof(raw))
		n = sizeof(raw);
	randombytes_buf(raw, n);
	sodium_bin2hex(out, 2 * n + 1, raw, n);
	sodium_memzero(raw, sizeof(raw));
}

void secret_token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

static char dummy[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[33];

	secret_token(pw, 16);
	if (secret_hash_password(pw, dummy))
		dummy[0] = '\0';
}

const char *secret_dummy_hash(void)
{
	pthread_once(&dummy_once, make_dummy);
	return dummy;
}
