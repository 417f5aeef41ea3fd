/*
 * The case lifecycle, masks and tracking codes.  The transition tables
 * below were written out by hand from the diagram in case.h, not derived
 * from the code; so were the masks and the check characters, whose sums
 * are written next to them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/case.h"

static const char *const all_states[CS_NSTATES] = {
    "submitted",    "accepted", "rejected",    "assigned",     "in_progress", "resolved", "closed",
    "under_review", "adopted",  "not_adopted", "implementing", "implemented", "reopened"};

static void test_names_round_trip(void **state)
{
	enum case_state s;
	enum case_kind k;

	(void)state;
	for (int i = 0; i < CS_NSTATES; i++) {
		assert_string_equal(case_state_name((enum case_state)i), all_states[i]);
		assert_int_equal(case_state_parse(all_states[i], &s), 0);
		assert_int_equal(s, i);
	}
	assert_string_equal(case_kind_name(CASE_PROBLEM), "problem");
	assert_string_equal(case_kind_name(CASE_SUGGESTION), "suggestion");
	assert_string_equal(case_kind_name(CASE_COMPLAINT), "complaint");
	assert_int_equal(case_kind_parse("problem", &k), 0);
	assert_int_equal(k, CASE_PROBLEM);
	assert_int_equal(case_kind_parse("suggestion", &k), 0);
	assert_int_equal(k, CASE_SUGGESTION);
	assert_int_equal(case_kind_parse("complaint", &k), 0);
	assert_int_equal(k, CASE_COMPLAINT);

	/* Exact spelling only, and the output untouched on failure. */
	s = CS_CLOSED;
	assert_int_equal(case_state_parse("Submitted", &s), -1);
	assert_int_equal(case_state_parse("in-progress", &s), -1);
	assert_int_equal(case_state_parse("", &s), -1);
	assert_int_equal(case_state_parse(NULL, &s), -1);
	assert_int_equal(s, CS_CLOSED);
	k = CASE_COMPLAINT;
	assert_int_equal(case_kind_parse("Problem", &k), -1);
	assert_int_equal(case_kind_parse("problems", &k), -1);
	assert_int_equal(case_kind_parse("", &k), -1);
	assert_int_equal(case_kind_parse(NULL, &k), -1);
	assert_int_equal(k, CASE_COMPLAINT);

	assert_string_equal(case_state_name(CS_NSTATES), "unknown");
	assert_string_equal(case_kind_name(CASE_SERVICE_REQUEST), "service_request");
	assert_string_equal(case_kind_name((enum case_kind)4), "unknown");
}

static void test_open_states(void **state)
{
	/* Open311: closed for rejected, not_adopted and closed. */
	static const char open[CS_NSTATES + 1] = "1101110110111";

	(void)state;
	for (int i = 0; i < CS_NSTATES; i++)
		if (case_state_is_open((enum case_state)i) != open[i] - '0')
			fail_msg("%s: open %d", all_states[i],
			         case_state_is_open((enum case_state)i));
	assert_int_equal(case_state_is_open(CS_NSTATES), 0);
}

/*
 * expected[from]: one character per target state, in enum order
 *   submitted accepted rejected assigned in_progress resolved closed
 *   under_review adopted not_adopted implementing implemented reopened
 * with K = CT_OK, W = CT_WRONG_KIND, . = CT_ILLEGAL, for a case with a
 * note, never reopened, 3 days into a 15-day reopening period.
 */
static const char *const problem_table[CS_NSTATES] = {
    [CS_SUBMITTED] = ".KK.....W....",
    [CS_ACCEPTED] = "...K...WW....",
    [CS_REJECTED] = ".............",
    [CS_ASSIGNED] = "....K...W....",
    [CS_IN_PROGRESS] = ".....K..W....",
    [CS_RESOLVED] = "......K.W...K",
    [CS_CLOSED] = ".............",
    /* The adoption states cannot be reached by a problem; were one
     * there, its steps would still be the suggestions' only. */
    [CS_UNDER_REVIEW] = "........WW...",
    [CS_ADOPTED] = "..........W..",
    [CS_NOT_ADOPTED] = ".............",
    [CS_IMPLEMENTING] = "...........W.",
    [CS_IMPLEMENTED] = "......W.....W",
    [CS_REOPENED] = "...K....W....",
};

static const char *const suggestion_table[CS_NSTATES] = {
    /* Adoption from any state before a final one. */
    [CS_SUBMITTED] = ".KK.....K....",    [CS_ACCEPTED] = "...K...KK....",
    [CS_REJECTED] = ".............",     [CS_ASSIGNED] = "....K...K....",
    [CS_IN_PROGRESS] = ".....K..K....",  [CS_RESOLVED] = "......K.K...K",
    [CS_CLOSED] = ".............",       [CS_UNDER_REVIEW] = "........KK...",
    [CS_ADOPTED] = "..........K..",      [CS_NOT_ADOPTED] = ".............",
    [CS_IMPLEMENTING] = "...........K.", [CS_IMPLEMENTED] = "......K.....K",
    [CS_REOPENED] = "...K....K....",
};

static enum case_transition_result code_of(char c)
{
	switch (c) {
	case 'K':
		return CT_OK;
	case 'W':
		return CT_WRONG_KIND;
	default:
		return CT_ILLEGAL;
	}
}

static struct case_facts facts(enum case_kind kind, enum case_state st)
{
	struct case_facts f = {kind, st, 0, 3, 15};
	return f;
}

static void check_table(enum case_kind kind, const char *const table[CS_NSTATES])
{
	for (int from = 0; from < CS_NSTATES; from++) {
		struct case_facts f = facts(kind, (enum case_state)from);

		assert_int_equal(strlen(table[from]), CS_NSTATES);
		for (int to = 0; to < CS_NSTATES; to++) {
			enum case_transition_result want = code_of(table[from][to]);
			enum case_transition_result got =
			    case_transition_check(&f, (enum case_state)to, "a reason");
			if (got != want)
				fail_msg("%s: %s -> %s gave %d, expected %d", case_kind_name(kind),
				         all_states[from], all_states[to], (int)got, (int)want);
		}
	}
}

static void test_every_step_of_a_problem(void **state)
{
	(void)state;
	check_table(CASE_PROBLEM, problem_table);
}

static void test_every_step_of_a_complaint(void **state)
{
	(void)state;
	/* A complaint runs the problem's course. */
	check_table(CASE_COMPLAINT, problem_table);
}

static void test_every_step_of_a_suggestion(void **state)
{
	(void)state;
	check_table(CASE_SUGGESTION, suggestion_table);
}

/* A few of the table's refusals again, spelled out, as a reader looks for
 * them. */
static void test_illegal_steps(void **state)
{
	static const struct {
		enum case_kind kind;
		enum case_state from, to;
		enum case_transition_result want;
	} cases[] = {
	    {CASE_PROBLEM, CS_SUBMITTED, CS_ASSIGNED, CT_ILLEGAL},   /* skips acceptance */
	    {CASE_PROBLEM, CS_SUBMITTED, CS_CLOSED, CT_ILLEGAL},     /* nor closed unread */
	    {CASE_PROBLEM, CS_ACCEPTED, CS_RESOLVED, CT_ILLEGAL},    /* not handled */
	    {CASE_PROBLEM, CS_ASSIGNED, CS_ACCEPTED, CT_ILLEGAL},    /* no way back */
	    {CASE_PROBLEM, CS_IN_PROGRESS, CS_CLOSED, CT_ILLEGAL},   /* resolved first */
	    {CASE_PROBLEM, CS_RESOLVED, CS_IN_PROGRESS, CT_ILLEGAL}, /* reopen instead */
	    {CASE_PROBLEM, CS_REOPENED, CS_IN_PROGRESS, CT_ILLEGAL}, /* reassigned first */
	    {CASE_PROBLEM, CS_CLOSED, CS_REOPENED, CT_ILLEGAL},      /* closed is final */
	    {CASE_PROBLEM, CS_REJECTED, CS_ACCEPTED, CT_ILLEGAL},    /* final */
	    {CASE_PROBLEM, CS_ASSIGNED, CS_ASSIGNED, CT_ILLEGAL},    /* no step at all */
	    {CASE_PROBLEM, CS_ACCEPTED, CS_UNDER_REVIEW, CT_WRONG_KIND},
	    {CASE_COMPLAINT, CS_ACCEPTED, CS_UNDER_REVIEW, CT_WRONG_KIND},
	    {CASE_SUGGESTION, CS_NOT_ADOPTED, CS_ADOPTED, CT_ILLEGAL}, /* final */
	    {CASE_SUGGESTION, CS_NOT_ADOPTED, CS_REOPENED, CT_ILLEGAL},
	    {CASE_SUGGESTION, CS_UNDER_REVIEW, CS_IMPLEMENTING, CT_ILLEGAL},
	    {CASE_SUGGESTION, CS_ADOPTED, CS_IMPLEMENTED, CT_ILLEGAL},
	    {CASE_SUGGESTION, CS_ADOPTED, CS_CLOSED, CT_ILLEGAL}, /* implement first */
	    {CASE_SUGGESTION, CS_IMPLEMENTING, CS_CLOSED, CT_ILLEGAL},
	    {CASE_SUGGESTION, CS_SUBMITTED, CS_UNDER_REVIEW, CT_ILLEGAL}, /* accepted first */
	    {CASE_SUGGESTION, CS_CLOSED, CS_REOPENED, CT_ILLEGAL},
	    /* Out of range targets. */
	    {CASE_SUGGESTION, CS_SUBMITTED, CS_NSTATES, CT_ILLEGAL},
	    {CASE_SUGGESTION, CS_SUBMITTED, (enum case_state) - 1, CT_ILLEGAL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct case_facts f = facts(cases[i].kind, cases[i].from);
		enum case_transition_result got = case_transition_check(&f, cases[i].to, "why");

		if (got != cases[i].want)
			fail_msg("case %zu: %s -> %s gave %d, expected %d", i,
			         case_state_name(cases[i].from), case_state_name(cases[i].to),
			         (int)got, (int)cases[i].want);
	}
}

static void test_notes_required(void **state)
{
	struct case_facts sub = facts(CASE_PROBLEM, CS_SUBMITTED);
	struct case_facts review = facts(CASE_SUGGESTION, CS_UNDER_REVIEW);
	struct case_facts res = facts(CASE_PROBLEM, CS_RESOLVED);
	struct case_facts impl = facts(CASE_SUGGESTION, CS_IMPLEMENTED);

	(void)state;
	assert_int_equal(case_transition_check(&sub, CS_REJECTED, NULL), CT_NEEDS_REASON);
	assert_int_equal(case_transition_check(&sub, CS_REJECTED, ""), CT_NEEDS_REASON);
	assert_int_equal(case_transition_check(&sub, CS_REJECTED, " \t\n"), CT_NEEDS_REASON);
	/* Two ideographic spaces, as a Chinese input method types them. */
	assert_int_equal(case_transition_check(&sub, CS_REJECTED, "\xe3\x80\x80\xe3\x80\x80"),
	                 CT_NEEDS_REASON);
	assert_int_equal(case_transition_check(&sub, CS_REJECTED, "重复提交"), CT_OK);
	assert_int_equal(case_transition_check(&sub, CS_REJECTED, " x "), CT_OK);
	/* Accepting needs none. */
	assert_int_equal(case_transition_check(&sub, CS_ACCEPTED, NULL), CT_OK);

	assert_int_equal(case_transition_check(&review, CS_NOT_ADOPTED, NULL), CT_NEEDS_REASON);
	assert_int_equal(case_transition_check(&review, CS_NOT_ADOPTED, ""), CT_NEEDS_REASON);
	assert_int_equal(case_transition_check(&review, CS_NOT_ADOPTED, "超出职权"), CT_OK);
	assert_int_equal(case_transition_check(&review, CS_ADOPTED, NULL), CT_OK);

	assert_int_equal(case_transition_check(&res, CS_REOPENED, NULL), CT_NEEDS_REASON);
	assert_int_equal(case_transition_check(&res, CS_REOPENED, ""), CT_NEEDS_REASON);
	assert_int_equal(case_transition_check(&res, CS_REOPENED, "还是不亮"), CT_OK);
	assert_int_equal(case_transition_check(&res, CS_CLOSED, NULL), CT_OK);
	assert_int_equal(case_transition_check(&impl, CS_REOPENED, NULL), CT_NEEDS_REASON);
	assert_int_equal(case_transition_check(&impl, CS_REOPENED, "没有落实"), CT_OK);

	/* What no note can fix is reported before the missing note. */
	review.kind = CASE_PROBLEM;
	assert_int_equal(case_transition_check(&review, CS_NOT_ADOPTED, NULL), CT_WRONG_KIND);
	sub.state = CS_CLOSED;
	assert_int_equal(case_transition_check(&sub, CS_REJECTED, NULL), CT_ILLEGAL);
}

static void test_reopening(void **state)
{
	struct case_facts f = {CASE_PROBLEM, CS_RESOLVED, 0, 0, 15};

	(void)state;
	/* Within the period, to its last day. */
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not fixed"), CT_OK);
	f.days_since_closed = 15;
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not fixed"), CT_OK);
	/* A day after. */
	f.days_since_closed = 16;
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not fixed"), CT_REOPEN_EXPIRED);
	/* Closing stays possible however late. */
	assert_int_equal(case_transition_check(&f, CS_CLOSED, NULL), CT_OK);
	/* With no period configured, only the same day. */
	f.reopen_days = 0;
	f.days_since_closed = 0;
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not fixed"), CT_OK);
	f.days_since_closed = 1;
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not fixed"), CT_REOPEN_EXPIRED);

	/* The whole loop once: reopened, reassigned, resolved again... */
	f = (struct case_facts){CASE_COMPLAINT, CS_RESOLVED, 0, 2, 15};
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not fixed"), CT_OK);
	f.state = CS_REOPENED;
	f.reopened = 1;
	assert_int_equal(case_transition_check(&f, CS_ASSIGNED, NULL), CT_OK);
	f.state = CS_ASSIGNED;
	assert_int_equal(case_transition_check(&f, CS_IN_PROGRESS, NULL), CT_OK);
	f.state = CS_IN_PROGRESS;
	assert_int_equal(case_transition_check(&f, CS_RESOLVED, NULL), CT_OK);
	/* ...and not twice, even the same day, note or no note. */
	f.state = CS_RESOLVED;
	f.days_since_closed = 0;
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "still not fixed"), CT_REOPEN_USED);
	assert_int_equal(case_transition_check(&f, CS_REOPENED, NULL), CT_REOPEN_USED);
	/* Used is reported before expired: waiting would not help either. */
	f.days_since_closed = 99;
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "x"), CT_REOPEN_USED);
	assert_int_equal(case_transition_check(&f, CS_CLOSED, NULL), CT_OK);

	/* Expired before the missing note. */
	f = (struct case_facts){CASE_PROBLEM, CS_RESOLVED, 0, 30, 15};
	assert_int_equal(case_transition_check(&f, CS_REOPENED, NULL), CT_REOPEN_EXPIRED);

	/* An implemented suggestion, the same rules. */
	f = (struct case_facts){CASE_SUGGESTION, CS_IMPLEMENTED, 0, 7, 7};
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not done"), CT_OK);
	f.days_since_closed = 8;
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not done"), CT_REOPEN_EXPIRED);
	f.days_since_closed = 1;
	f.reopened = 1;
	assert_int_equal(case_transition_check(&f, CS_REOPENED, "not done"), CT_REOPEN_USED);
	/* A reopened suggestion is handled as a problem is. */
	f.state = CS_REOPENED;
	assert_int_equal(case_transition_check(&f, CS_ASSIGNED, NULL), CT_OK);
	assert_int_equal(case_transition_check(&f, CS_UNDER_REVIEW, NULL), CT_ILLEGAL);
	assert_int_equal(case_transition_check(&f, CS_IMPLEMENTING, NULL), CT_ILLEGAL);
}

static void expect_list(enum case_kind kind, enum case_state st, int reopened, int days,
                        const char *want)
{
	struct case_facts f = {kind, st, reopened, days, 15};
	char buf[128];
	int len;

	memset(buf, 'x', sizeof(buf));
	len = case_allowed_list(&f, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("%s %s: \"%s\", expected \"%s\"", case_kind_name(kind),
		         case_state_name(st), buf, want);
	assert_int_equal(len, (int)strlen(want));
}

static void test_allowed_lists(void **state)
{
	(void)state;
	expect_list(CASE_PROBLEM, CS_SUBMITTED, 0, 0, "accepted, rejected");
	expect_list(CASE_SUGGESTION, CS_SUBMITTED, 0, 0, "accepted, rejected, adopted");
	expect_list(CASE_PROBLEM, CS_ACCEPTED, 0, 0, "assigned");
	expect_list(CASE_COMPLAINT, CS_ACCEPTED, 0, 0, "assigned");
	expect_list(CASE_SUGGESTION, CS_ACCEPTED, 0, 0, "assigned, under_review, adopted");
	expect_list(CASE_SUGGESTION, CS_ASSIGNED, 0, 0, "in_progress, adopted");
	expect_list(CASE_SUGGESTION, CS_UNDER_REVIEW, 0, 0, "adopted, not_adopted");
	expect_list(CASE_SUGGESTION, CS_ADOPTED, 0, 0, "implementing");
	expect_list(CASE_PROBLEM, CS_IN_PROGRESS, 0, 0, "resolved");
	expect_list(CASE_PROBLEM, CS_RESOLVED, 0, 3, "closed, reopened");
	expect_list(CASE_PROBLEM, CS_RESOLVED, 0, 15, "closed, reopened");
	/* Reopening no longer offered once used or expired. */
	expect_list(CASE_PROBLEM, CS_RESOLVED, 1, 3, "closed");
	expect_list(CASE_PROBLEM, CS_RESOLVED, 0, 16, "closed");
	expect_list(CASE_SUGGESTION, CS_IMPLEMENTED, 0, 3, "closed, reopened");
	expect_list(CASE_SUGGESTION, CS_IMPLEMENTED, 1, 3, "closed");
	expect_list(CASE_PROBLEM, CS_REOPENED, 1, 0, "assigned");
	/* Final states, and states a problem cannot be in. */
	expect_list(CASE_PROBLEM, CS_CLOSED, 0, 0, "");
	expect_list(CASE_PROBLEM, CS_REJECTED, 0, 0, "");
	expect_list(CASE_SUGGESTION, CS_NOT_ADOPTED, 0, 0, "");
	expect_list(CASE_PROBLEM, CS_UNDER_REVIEW, 0, 0, "");
}

static void test_allowed_list_short_buffer(void **state)
{
	struct case_facts f = facts(CASE_SUGGESTION, CS_ACCEPTED);
	char buf[16];

	(void)state;
	/* "assigned" (8) fits in 10 with its NUL; ", under_review" does not
	 * and is left off whole. */
	assert_int_equal(case_allowed_list(&f, buf, 10), 8);
	assert_string_equal(buf, "assigned");
	/* 8 bytes hold 7 characters: nothing fits. */
	assert_int_equal(case_allowed_list(&f, buf, 8), 0);
	assert_string_equal(buf, "");
	assert_int_equal(case_allowed_list(&f, buf, 1), 0);
	assert_string_equal(buf, "");
	/* n = 0: nothing written at all. */
	buf[0] = 'z';
	assert_int_equal(case_allowed_list(&f, buf, 0), 0);
	assert_int_equal(buf[0], 'z');
}

static void test_overdue(void **state)
{
	const char *deadline = "2024-05-01T12:00:00Z";

	(void)state;
	assert_int_equal(case_is_overdue(CS_IN_PROGRESS, deadline, "2024-05-01T12:00:01Z"), 1);
	assert_int_equal(case_is_overdue(CS_IN_PROGRESS, deadline, "2024-06-01T00:00:00Z"), 1);
	/* At the deadline itself, and before, on time. */
	assert_int_equal(case_is_overdue(CS_IN_PROGRESS, deadline, "2024-05-01T12:00:00Z"), 0);
	assert_int_equal(case_is_overdue(CS_IN_PROGRESS, deadline, "2024-04-30T23:59:59Z"), 0);
	/* Every open state counts, a resolved one waiting to be closed too. */
	for (int s = 0; s < CS_NSTATES; s++) {
		int open = s != CS_CLOSED && s != CS_REJECTED && s != CS_NOT_ADOPTED;
		assert_int_equal(
		    case_is_overdue((enum case_state)s, deadline, "2024-05-02T00:00:00Z"), open);
	}
	/* No deadline, never late. */
	assert_int_equal(case_is_overdue(CS_ASSIGNED, NULL, "2024-05-02T00:00:00Z"), 0);
	assert_int_equal(case_is_overdue(CS_ASSIGNED, "", "2024-05-02T00:00:00Z"), 0);
	assert_int_equal(case_is_overdue(CS_ASSIGNED, deadline, NULL), 0);
}

static void expect_phone(const char *in, const char *want)
{
	char buf[64];

	memset(buf, 'x', sizeof(buf));
	case_mask_phone(in, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("phone \"%s\": \"%s\", expected \"%s\"", in ? in : "(null)", buf, want);
}

static void test_mask_phone(void **state)
{
	char buf[12];

	(void)state;
	expect_phone("13812345678", "138****5678");
	/* Shorter: the last four only. */
	expect_phone("1234567890", "****7890");
	expect_phone("12345678", "****5678");
	/* Seven characters or fewer: nothing. */
	expect_phone("1234567", "****");
	expect_phone("110", "****");
	expect_phone("1", "****");
	/* Longer: as an 11-digit one, so the length does not show. */
	expect_phone("02112345678", "021****5678");
	expect_phone("+8613812345678", "+86****5678");
	/* Full-width digits are whole characters (3 bytes each). */
	expect_phone("１３８１２３４５６７８", "１３８****５６７８");
	expect_phone("", "");
	expect_phone(NULL, "");

	/* "138****5678" is 11 bytes: 12 holds it, 11 holds nothing. */
	case_mask_phone("13812345678", buf, 12);
	assert_string_equal(buf, "138****5678");
	case_mask_phone("13812345678", buf, 11);
	assert_string_equal(buf, "");
	case_mask_phone("13812345678", buf, 4);
	assert_string_equal(buf, "");
}

static void expect_name(const char *in, const char *want)
{
	char buf[64];

	memset(buf, 'x', sizeof(buf));
	case_mask_name(in, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("name \"%s\": \"%s\", expected \"%s\"", in ? in : "(null)", buf, want);
}

static void test_mask_name(void **state)
{
	char buf[8];

	(void)state;
	expect_name("张伟", "张*");
	expect_name("欧阳娜娜", "欧***");
	expect_name("Zhang Wei", "Z***");
	expect_name("司马相如", "司***");
	expect_name("买买提·艾力", "买***");
	expect_name("李小龙", "李**");
	expect_name("Li", "L*");
	/* One character still shows a star. */
	expect_name("王", "王*");
	expect_name("Q", "Q*");
	/* Leading blanks are not the first character. */
	expect_name("  李四", "李*");
	expect_name("", "");
	expect_name("   ", "");
	expect_name(NULL, "");
	/* A broken sequence: byte by byte, never past the end. */
	expect_name("\xe5\xbc", "\xe5*");

	/* "欧***" is 6 bytes: 7 hold it, 6 hold nothing (not half of 欧). */
	case_mask_name("欧阳娜娜", buf, 7);
	assert_string_equal(buf, "欧***");
	case_mask_name("欧阳娜娜", buf, 6);
	assert_string_equal(buf, "");
	case_mask_name("欧阳娜娜", buf, 2);
	assert_string_equal(buf, "");
}

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static void test_alphabet(void **state)
{
	(void)state;
	/* 8 digits + 26 letters - I, L, O = 31, all distinct, none of the
	 * confusable ones. */
	assert_int_equal(strlen(alphabet), 31);
	for (int i = 0; i < 31; i++)
		assert_null(strchr(alphabet + i + 1, alphabet[i]));
	assert_null(strpbrk(alphabet, "01IOL"));
}

/*
 * Hand-made codes.  Values: 2=0 3=1 ... 9=7 A=8 ... H=15 J=16 K=17 M=18
 * N=19 P=20 ... Z=30; the nine data characters are the 64-bit number
 * (bytes big-endian) in base 31, lowest digit first.  Weights of positions
 * 1..10: 3^9..3^0 mod 31 = 29 20 17 16 26 19 27 9 3 1.
 */
static void test_tracking_code_worked(void **state)
{
	unsigned char r[8] = {0};
	char code[11];

	(void)state;
	/* 0: all '2', sum 0, check value 0 = '2'. */
	case_tracking_code(r, code);
	assert_string_equal(code, "2222222222");
	/* 1: '3' first, 1×29 = 29, check 31-29 = 2 = '4'. */
	r[7] = 1;
	case_tracking_code(r, code);
	assert_string_equal(code, "3222222224");
	/* 30: 'Z' first, 30×29 = 870 = 28×31 + 2, check 31-2 = 29 = 'Y'. */
	r[7] = 30;
	case_tracking_code(r, code);
	assert_string_equal(code, "Z22222222Y");
	/* 31 = 1×31 + 0: "23...", 1×20 = 20, check 31-20 = 11 = 'D'. */
	r[7] = 31;
	case_tracking_code(r, code);
	assert_string_equal(code, "232222222D");
	/* 256 = 8×31 + 8: "AA...", 8×29 + 8×20 = 392 = 12×31 + 20, check
	 * 31-20 = 11 = 'D'. */
	r[7] = 0;
	r[6] = 1;
	case_tracking_code(r, code);
	assert_string_equal(code, "AA2222222D");

	assert_true(case_tracking_code_valid("2222222222"));
	assert_true(case_tracking_code_valid("3222222224"));
	assert_true(case_tracking_code_valid("Z22222222Y"));
	assert_true(case_tracking_code_valid("232222222D"));
	assert_true(case_tracking_code_valid("AA2222222D"));
	/* The swap Luhn mod 31 misses: 2 and Z (values 0 and 30). */
	assert_false(case_tracking_code_valid("2Z2222222Y"));
}

static void test_tracking_code_form(void **state)
{
	(void)state;
	assert_false(case_tracking_code_valid(NULL));
	assert_false(case_tracking_code_valid(""));
	assert_false(case_tracking_code_valid("222222222"));   /* 9 */
	assert_false(case_tracking_code_valid("22222222222")); /* 11 */
	assert_false(case_tracking_code_valid("z22222222y"));  /* lower case */
	assert_false(case_tracking_code_valid("Z22222222Y "));
	assert_false(case_tracking_code_valid(" Z22222222Y"));
	/* Characters outside the alphabet, even where the sum would hold. */
	assert_false(case_tracking_code_valid("0222222222"));
	assert_false(case_tracking_code_valid("O222222222"));
	assert_false(case_tracking_code_valid("1222222222"));
	assert_false(case_tracking_code_valid("I222222222"));
	assert_false(case_tracking_code_valid("L222222222"));
	assert_false(case_tracking_code_valid("2222-22222"));
}

/* A fixed stream of bytes (xorshift64), so that failures repeat. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static void random_bytes(unsigned char r[8])
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	for (int i = 0; i < 8; i++)
		r[i] = (unsigned char)(rng_state >> (8 * i));
}

static void check_errors_detected(const char *code)
{
	char bad[11];

	if (!case_tracking_code_valid(code))
		fail_msg("%s: not valid", code);
	/* Every other character at every position. */
	for (int i = 0; i < 10; i++)
		for (int a = 0; a < 31; a++) {
			if (alphabet[a] == code[i])
				continue;
			memcpy(bad, code, 11);
			bad[i] = alphabet[a];
			if (case_tracking_code_valid(bad))
				fail_msg("%s: substitution %s passes", code, bad);
		}
	/* Every adjacent swap of two different characters. */
	for (int i = 0; i < 9; i++) {
		if (code[i] == code[i + 1])
			continue;
		memcpy(bad, code, 11);
		bad[i] = code[i + 1];
		bad[i + 1] = code[i];
		if (case_tracking_code_valid(bad))
			fail_msg("%s: transposition %s passes", code, bad);
	}
}

static void test_tracking_code_detects_errors(void **state)
{
	static const char *const hand[] = {"2222222222", "3222222224", "Z22222222Y", "232222222D",
	                                   "AA2222222D"};
	unsigned char r[8];
	char code[11];

	(void)state;
	for (size_t i = 0; i < sizeof(hand) / sizeof(hand[0]); i++)
		check_errors_detected(hand[i]);
	/* And many generated ones: the right form, valid, errors caught. */
	for (int n = 0; n < 500; n++) {
		random_bytes(r);
		memset(code, 0, sizeof(code));
		case_tracking_code(r, code);
		assert_int_equal(strlen(code), 10);
		assert_int_equal(strspn(code, alphabet), 10);
		check_errors_detected(code);
	}
	/* The largest input. */
	memset(r, 0xFF, sizeof(r));
	case_tracking_code(r, code);
	check_errors_detected(code);
}

/*
 * Every ordered pair of distinct values at every adjacent pair of
 * positions, check character included: another position (the first, or
 * the check when the pair is the first two) is set so that the code is
 * valid, and the swap must then fail.
 */
static void test_tracking_code_all_adjacent_swaps(void **state)
{
	char code[11], bad[11];

	(void)state;
	for (int i = 0; i < 9; i++)
		for (int a = 0; a < 31; a++)
			for (int b = 0; b < 31; b++) {
				int fix = i == 0 ? 9 : 0, found = 0;

				if (a == b)
					continue;
				memcpy(code, "2222222222", 11);
				code[i] = alphabet[a];
				code[i + 1] = alphabet[b];
				/* Exactly one character at `fix` makes it valid. */
				for (int c = 0; c < 31; c++) {
					memcpy(bad, code, 11);
					bad[fix] = alphabet[c];
					if (case_tracking_code_valid(bad)) {
						found++;
						code[fix] = alphabet[c];
					}
				}
				assert_int_equal(found, 1);
				memcpy(bad, code, 11);
				bad[i] = code[i + 1];
				bad[i + 1] = code[i];
				if (case_tracking_code_valid(bad))
					fail_msg("%s: transposition %s passes", code, bad);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_round_trip),
	    cmocka_unit_test(test_open_states),
	    cmocka_unit_test(test_every_step_of_a_problem),
	    cmocka_unit_test(test_every_step_of_a_complaint),
	    cmocka_unit_test(test_every_step_of_a_suggestion),
	    cmocka_unit_test(test_illegal_steps),
	    cmocka_unit_test(test_notes_required),
	    cmocka_unit_test(test_reopening),
	    cmocka_unit_test(test_allowed_lists),
	    cmocka_unit_test(test_allowed_list_short_buffer),
	    cmocka_unit_test(test_overdue),
	    cmocka_unit_test(test_mask_phone),
	    cmocka_unit_test(test_mask_name),
	    cmocka_unit_test(test_alphabet),
	    cmocka_unit_test(test_tracking_code_worked),
	    cmocka_unit_test(test_tracking_code_form),
	    cmocka_unit_test(test_tracking_code_detects_errors),
	    cmocka_unit_test(test_tracking_code_all_adjacent_swaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
