/*
 * GB/T 4754-2017 industrial classification: section (letter), division
 * (2 digits), group (3), class (4).  An enterprise carries a class code.
 */
#ifndef QY_INDUSTRY_H
#define QY_INDUSTRY_H

/* The section letter ('A'..'T') of a division 1..97, or 0. */
char industry_section(int division);
/* 0 when code is a well-formed class code of an existing division; else -1
 * with a reason in why. */
int industry_check(const char *code, char *why, unsigned n);
/* English and Chinese names of the classes the product knows, or NULL. */
const char *industry_name(const char *code, int zh);

#endif
