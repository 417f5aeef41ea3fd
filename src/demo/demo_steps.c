/*
 * The demo's working calendar and time limits (demo_steps.h).
 */
#include "demo_steps.h"

#include <stddef.h>

/* The public holidays of 2026 as the State Council arranged them and the
 * weekend days worked in their place; 2027's statutory days, the days
 * moved around them to be added when the arrangement is published. */
const struct demo_work_date demo_work_dates[DEMO_WORK_DATES] = {
    {"2026-01-01", "2026-01-03", 0, "元旦"},       {"2026-01-04", "2026-01-04", 1, "元旦调休"},
    {"2026-02-14", "2026-02-14", 1, "春节调休"},   {"2026-02-15", "2026-02-23", 0, "春节"},
    {"2026-02-28", "2026-02-28", 1, "春节调休"},   {"2026-04-04", "2026-04-06", 0, "清明节"},
    {"2026-05-01", "2026-05-05", 0, "劳动节"},     {"2026-05-09", "2026-05-09", 1, "劳动节调休"},
    {"2026-06-19", "2026-06-21", 0, "端午节"},     {"2026-09-20", "2026-09-20", 1, "国庆节调休"},
    {"2026-09-25", "2026-09-27", 0, "中秋节"},     {"2026-10-01", "2026-10-07", 0, "国庆节"},
    {"2026-10-10", "2026-10-10", 1, "国庆节调休"}, {"2027-01-01", "2027-01-01", 0, "元旦"},
    {"2027-02-05", "2027-02-08", 0, "春节"},       {"2027-04-05", "2027-04-05", 0, "清明节"},
    {"2027-05-01", "2027-05-02", 0, "劳动节"},     {"2027-06-09", "2027-06-09", 0, "端午节"},
    {"2027-09-15", "2027-09-15", 0, "中秋节"},     {"2027-10-01", "2027-10-03", 0, "国庆节"},
};

#define WD "working_days"
#define WH "working_hours"
#define H  "hours"

/*
 * Ordinary, urgent, emergency; each {dispatch, first reply, resolution}.
 * Dispatch is the hotline's own desk: within a working hour or two for
 * most, at once for emergencies (plain hours: they run round the clock).
 * A department replies first within a day or two, sooner when urgent.
 * Resolution follows the matter: days for lights and rubbish, weeks for
 * a suggestion or land; safety hazards are counted in plain hours at
 * every urgency, the ordinary one being the category's 24 hours.
 */
const struct demo_category_limits demo_category_limits[DEMO_CATEGORY_LIMITS] = {
    {"land",
     {{{1, WD}, {2, WD}, {15, WD}}, {{4, WH}, {1, WD}, {5, WD}}, {{2, H}, {8, H}, {3, WD}}},
     0},
    {"labour",
     {{{1, WD}, {2, WD}, {10, WD}}, {{4, WH}, {1, WD}, {5, WD}}, {{2, H}, {8, H}, {2, WD}}},
     0},
    {"finance",
     {{{1, WD}, {2, WD}, {10, WD}}, {{4, WH}, {1, WD}, {5, WD}}, {{2, H}, {8, H}, {2, WD}}},
     0},
    {"logistics",
     {{{1, WD}, {2, WD}, {10, WD}}, {{4, WH}, {1, WD}, {5, WD}}, {{2, H}, {8, H}, {2, WD}}},
     0},
    {"utilities",
     {{{4, WH}, {1, WD}, {5, WD}}, {{2, WH}, {4, WH}, {2, WD}}, {{1, H}, {4, H}, {24, H}}},
     1},
    {"policy",
     {{{1, WD}, {2, WD}, {5, WD}}, {{4, WH}, {1, WD}, {3, WD}}, {{2, H}, {8, H}, {2, WD}}},
     0},
    {"enterprise_other",
     {{{1, WD}, {2, WD}, {10, WD}}, {{4, WH}, {1, WD}, {5, WD}}, {{2, H}, {8, H}, {2, WD}}},
     0},
    {"road_lighting",
     {{{1, WH}, {1, WD}, {3, WD}}, {{1, WH}, {4, WH}, {1, WD}}, {{1, H}, {2, H}, {12, H}}},
     0},
    {"parking",
     {{{1, WH}, {1, WD}, {5, WD}}, {{1, WH}, {4, WH}, {2, WD}}, {{1, H}, {2, H}, {24, H}}},
     0},
    {"environment",
     {{{1, WH}, {4, WH}, {2, WD}}, {{1, WH}, {2, WH}, {1, WD}}, {{1, H}, {2, H}, {12, H}}},
     0},
    {"community",
     {{{1, WD}, {3, WD}, {15, WD}}, {{4, WH}, {1, WD}, {5, WD}}, {{1, H}, {4, H}, {48, H}}},
     0},
    {"elderly_care",
     {{{1, WD}, {2, WD}, {15, WD}}, {{2, WH}, {4, WH}, {3, WD}}, {{1, H}, {2, H}, {24, H}}},
     0},
    {"safety",
     {{{2, H}, {12, H}, {24, H}}, {{1, H}, {4, H}, {12, H}}, {{1, H}, {2, H}, {6, H}}},
     0},
};
