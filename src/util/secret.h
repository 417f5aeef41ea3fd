/*
 * Passwords, tokens and their hashes (libsodium).
 */
#ifndef QY_SECRET_H
#define QY_SECRET_H

#include <stddef.h>

/* Must be called once before any other function here. */
int secret_init(void);
/* argon2id in libsodium's string form.  Cost: 2 passes over 19 MiB, the
 * OWASP Password Storage Cheat Sheet's first argon2id setting, chosen so
 * that a sign-in costs tens of milliseconds and a server of 64 MiB can
 * verify one at a time per worker. */
int secret_hash_password(const char *password, char out[128]);
/* 1 when password matches the stored hash. */
int secret_check_password(const char *password, const char *hash);
/* A random token of n bytes as lowercase hex (out has 2n+1 bytes). */
void secret_token(char *out, size_t n);
/* BLAKE2b-256 of a token as hex (65 bytes), what the database keeps. */
void secret_token_hash(const char *token, char out[65]);
/* Constant-time equality of two NUL-terminated strings. */
int secret_equal(const char *a, const char *b);

/* A hash of a random password, made once: checking a password against it
 * costs what a real check costs. */
const char *secret_dummy_hash(void);

#endif
