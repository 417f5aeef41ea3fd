/*
 * The quarterly report: the dashboard's struct drawn as an A4 PDF (cairo
 * and pango, the text in both languages, the charts as vector bars), for
 * sending to the district.  Its numbers are the struct's, written by
 * print_report_value, so that a reader of the PDF's text finds the JSON's
 * figures in it.
 */
#ifndef QY_PRINT_REPORT_H
#define QY_PRINT_REPORT_H

#include <stddef.h>

#include "../domain/dashboard.h"
#include "../util/buf.h"
#include "../util/err.h"

int print_dashboard_pdf(const struct dashboard *d, struct buf *out, struct err *err);

/* A figure as the report prints it: a count as a whole number, an
 * amount, a score or a quotient with two decimals, a rate or a change as
 * a percentage with one ("12.5%", "+3.0%"), no figure as "—". */
void print_report_value(enum dash_kind k, double v, char *out, size_t n);

#endif
