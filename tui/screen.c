/*
 * The review screen: first the profile in one screen (what its rules are
 * for, what was generalised and why, who did it), then the rule list with a
 * detail pane and a status line, drawn with ncurses for any terminal from
 * 80x24 up. Only the rows in view are drawn, so a profile of 10,000 rules
 * opens and scrolls as fast as one of ten. Keys only; '?' lists them.
 */
#define _GNU_SOURCE
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../subject/subject.h"
#include "../names/names.h"
#include "../profile/profile.h"
#include "review.h"
#include "../common/error.h"

#define LIST_TOP 2    /* title and approval lines above the list */
#define DETAIL_LINES 4 /* the selected rule's evidence and samples, who and why, note */

enum { PAIR_NEW = 1, PAIR_WIDER, PAIR_DENY, PAIR_BAR };

struct screen {
	struct review *r;
	size_t cursor, top;
	char message[256];
};

static const char help_text[] =
	"stockade review: keys\n"
	"\n"
	"  up/down j/k   move            PgUp/PgDn   a page     g/G   first/last\n"
	"  /             filter rules by text (empty: show all)\n"
	"  a             accept the rule (mark it judged)\n"
	"  d             delete the rule\n"
	"  n             narrow: drop an access, or 'children' to replace a subtree\n"
	"                by what the recording (--db) saw below it\n"
	"  w             widen: a path to its directory, a subtree to its parent,\n"
	"                a network to a shorter prefix\n"
	"  x             make the rule deny (or allow again)\n"
	"  e             edit the rule's note\n"
	"  +             add a rule: files read,write subtree /srv/www\n"
	"                           exec path /usr/bin/curl      unix path /run/s.sock\n"
	"                           connect tcp 192.0.2.0/24 443\n"
	"  o             the overview: rules by what they are for, what was\n"
	"                generalised and why, the executables that did it\n"
	"  u             undo            s   save         A   approve and save\n"
	"  q             quit (asks before discarding changes)   ?   this help\n"
	"\n"
	"Marks before each rule, against the last approved version:\n"
	"  +  new   >  wider than before   ~  changed   <  narrower   *  accepted\n"
	"\n"
	"Press any key.";

/* ---- drawing ---------------------------------------------------------------- */

static int list_height(void)
{
	int h = LINES - LIST_TOP - DETAIL_LINES - 1;

	return h > 1 ? h : 1;
}

static void fmt_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static void draw_title(const struct screen *s)
{
	const struct profile *p = &s->r->p;
	char when[32];

	attron(A_BOLD);
	mvprintw(0, 0, "stockade review  %s  %s %s  mode %s", s->r->file, subject_kind_name(p->subject_kind),
		 p->subject, p->complain ? "complain" : "enforce");
	attroff(A_BOLD);
	clrtoeol();
	move(1, 0);
	if (!p->review.by) {
		printw("never approved");
	} else {
		fmt_time(p->review.at, when, sizeof(when));
		printw("approved by %s %s UTC%s", p->review.by, when,
		       profile_approved(p) ? "" : "; the rules changed since");
	}
	if (!s->r->has_approved)
		printw("; no approved copy: every rule is new");
	clrtoeol();
}

static const char marks[] = { [CHANGE_NONE] = ' ', [CHANGE_ADDED] = '+', [CHANGE_WIDENED] = '>',
			      [CHANGE_NARROWED] = '<', [CHANGE_CHANGED] = '~' };

/* One rule as the list shows it, without the group name. */
static void rule_line(const struct review *r, const struct review_row *w, char *buf, size_t len)
{
	char acc[64];

	if (w->grant) {
		snprintf(buf, len, "%s", w->name);
		return;
	}
	if (w->net) {
		const struct net_rule *n = &r->p.net[w->index];
		char text[160];

		net_rule_format(n, text, sizeof(text));
		snprintf(buf, len, "%s", text + strlen("network "));
		return;
	}
	const struct file_rule *f = &r->p.files[w->index];

	const char *why = f->evidence.generalised;
	const char *comma = why ? strchr(why, ',') : NULL;

	/* A generalised rule says why in brackets: "subtree /srv/www  [read]  (content-tree)". */
	snprintf(buf, len, "%s%s%s %s%s%s%s%s%.*s%s", f->deny ? "DENY " : "", f->kind == RULE_UNIX ? "unix " : "",
		 rule_match_name(file_rule_match(f)), f->path, f->kind == RULE_FILE ? "  [" : "",
		 f->kind == RULE_FILE ? access_format(f->access, acc, sizeof(acc)) : "", f->kind == RULE_FILE ? "]" : "",
		 why ? "  (" : "", why ? (int)(comma ? (size_t)(comma - why) : strlen(why)) : 0, why ? why : "",
		 why ? ")" : "");
}

static const struct evidence *evidence_of(const struct review *r, const struct review_row *w)
{
	static const struct evidence none;

	if (w->grant)
		return &none; /* a grant is a name: the recording's count is not kept */
	return w->net ? &r->p.net[w->index].evidence : &r->p.files[w->index].evidence;
}

static size_t group_size(const struct review *r, enum rule_kind kind)
{
	size_t n = kind == RULE_UNIX ? r->p.nnet : 0;

	for (size_t i = 0; i < r->p.nfiles; i++)
		n += r->p.files[i].kind == kind;
	return n;
}

static void draw_row(const struct screen *s, int y, size_t i)
{
	const struct review *r = s->r;
	const struct review_row *w = &r->rows[i];
	enum rule_change change = review_change(r, i);
	char text[STK_PATH_MAX + 128], ev[48] = "";
	bool accepted, deny;
	int attr = 0;

	move(y, 0);
	if (w->heading) {
		attron(A_BOLD | A_UNDERLINE);
		if (w->grant)
			printw("grants: privileges, capabilities, sockets");
		else
			printw("%s (%zu)", w->kind == RULE_FILE ? "files" : w->kind == RULE_EXEC ? "exec" : "network",
			       group_size(r, w->kind));
		attroff(A_BOLD | A_UNDERLINE);
		clrtoeol();
		return;
	}
	accepted = review_accepted(r, i);
	deny = !w->net && !w->grant && r->p.files[w->index].deny;
	if (has_colors())
		attr = deny ? COLOR_PAIR(PAIR_DENY) : change == CHANGE_ADDED ? COLOR_PAIR(PAIR_NEW)
			: change != CHANGE_NONE ? COLOR_PAIR(PAIR_WIDER) : 0;
	if (change != CHANGE_NONE && !accepted)
		attr |= A_BOLD;
	if (i == s->cursor)
		attr |= A_REVERSE;
	rule_line(r, w, text, sizeof(text));
	if (evidence_of(r, w)->count)
		snprintf(ev, sizeof(ev), "%" PRId64 "x %" PRId64 "h", evidence_of(r, w)->count,
			 evidence_of(r, w)->hosts);
	attron(attr);
	printw("%c%c %-*.*s %10s", marks[change], accepted ? '*' : ' ', COLS - 15 > 0 ? COLS - 15 : 1,
	       COLS - 15 > 0 ? COLS - 15 : 1, text, ev);
	attroff(attr);
	clrtoeol();
}

static void draw_detail(const struct screen *s)
{
	const struct review *r = s->r;
	int y = LINES - 1 - DETAIL_LINES;
	char first[32], last[32];

	for (int i = 0; i < DETAIL_LINES; i++) {
		move(y + i, 0);
		clrtoeol();
	}
	mvhline(y, 0, '-', COLS);
	if (s->cursor >= r->nrows || r->rows[s->cursor].heading)
		return;
	const struct review_row *w = &r->rows[s->cursor];
	const struct evidence *ev = evidence_of(r, w);
	const char *note = w->grant ? NULL : w->net ? r->p.net[w->index].note : r->p.files[w->index].note;

	move(y + 1, 0);
	if (w->grant) {
		printw("granted outright, beside the rules (docs/rules.md)");
	} else if (ev->count) {
		fmt_time(ev->first_seen, first, sizeof(first));
		fmt_time(ev->last_seen, last, sizeof(last));
		printw("seen %" PRId64 " times on %" PRId64 " host%s, %s to %s", ev->count, ev->hosts,
		       ev->hosts == 1 ? "" : "s", first, last);
		for (int i = 0; i < EVIDENCE_SAMPLES && ev->samples[i]; i++)
			printw("%s %s", i ? "," : "; e.g.", ev->samples[i]);
	} else {
		printw("written by hand (no evidence)");
	}
	clrtoeol();
	move(y + 2, 0);
	for (int i = 0; i < EVIDENCE_SAMPLES && ev->exe[i]; i++)
		printw("%s %s", i ? "," : "by", ev->exe[i]);
	if (ev->generalised)
		printw("%sgeneralised: %s", ev->exe[0] ? "; " : "", ev->generalised);
	clrtoeol();
	mvprintw(y + 3, 0, "note: %s", note ? note : "-");
	clrtoeol();
}

static void draw_status(const struct screen *s)
{
	const struct review *r = s->r;
	size_t rules = r->p.nfiles + r->p.nnet;

	move(LINES - 1, 0);
	if (has_colors())
		attron(COLOR_PAIR(PAIR_BAR));
	if (s->message[0])
		printw("%s", s->message);
	else
		printw("%zu rules, %zu to judge%s%s%s  ? help", rules, review_pending(r), r->filter[0] ? ", filter: " : "",
		       r->filter, r->dirty ? "  [modified]" : "");
	clrtoeol();
	if (has_colors())
		attroff(COLOR_PAIR(PAIR_BAR));
}

/* Keep the cursor on a row, and in view. */
static void clamp(struct screen *s)
{
	size_t h = (size_t)list_height();

	if (s->cursor >= s->r->nrows)
		s->cursor = s->r->nrows ? s->r->nrows - 1 : 0;
	if (s->cursor < s->top)
		s->top = s->cursor;
	if (s->cursor >= s->top + h)
		s->top = s->cursor - h + 1;
}

static void draw(struct screen *s)
{
	int h = list_height();

	clamp(s);
	draw_title(s);
	for (int y = 0; y < h; y++) {
		if (s->top + (size_t)y < s->r->nrows) {
			draw_row(s, LIST_TOP + y, s->top + (size_t)y);
		} else {
			move(LIST_TOP + y, 0);
			clrtoeol();
		}
	}
	draw_detail(s);
	draw_status(s);
	refresh();
}

/* ---- input ------------------------------------------------------------------ */

/* Read a line at the bottom; false if cancelled with Escape. */
static bool prompt(const char *question, const char *initial, char *buf, size_t len)
{
	size_t n;
	int c;

	snprintf(buf, len, "%s", initial);
	n = strlen(buf);
	curs_set(1);
	for (;;) {
		move(LINES - 1, 0);
		printw("%s%s", question, buf);
		clrtoeol();
		refresh();
		c = getch();
		if (c == '\n' || c == KEY_ENTER || c == '\r')
			break;
		if (c == 27) {
			curs_set(0);
			return false;
		}
		if ((c == KEY_BACKSPACE || c == 127 || c == 8) && n > 0)
			buf[--n] = 0;
		else if (c >= 32 && c < 256 && c != 127 && n + 1 < len) {
			buf[n++] = (char)c;
			buf[n] = 0;
		}
	}
	curs_set(0);
	return true;
}

static bool ask(const char *question, const char *answers, int *answer)
{
	int c;

	move(LINES - 1, 0);
	printw("%s", question);
	clrtoeol();
	refresh();
	do
		c = getch();
	while (c != 27 && !strchr(answers, c));
	*answer = c;
	return c != 27;
}

static void show_help(void)
{
	clear();
	mvprintw(0, 0, "%s", help_text);
	refresh();
	getch();
	clear();
}

/* Run an action's result into the status line. */
static void outcome(struct screen *s, int err, const char *ok)
{
	snprintf(s->message, sizeof(s->message), "%s", err ? stk_error() : ok);
}

/* The profile in one screen, before the rules: what a reviewer judges first. */
static void show_overview(struct screen *s)
{
	char **lines;
	size_t n;

	clear();
	if (profile_summary(&s->r->p, (size_t)(COLS > 1 ? COLS - 1 : 1), &lines, &n)) {
		outcome(s, -1, "");
		return;
	}
	for (size_t i = 0; i < n && (int)i < LINES - 2; i++)
		mvprintw((int)i, 0, "%s", lines[i]);
	summary_free(lines, n);
	attron(A_BOLD);
	mvprintw(LINES - 1, 0, "overview of %s: press any key for the rules (o shows this again)", s->r->file);
	attroff(A_BOLD);
	refresh();
	getch();
	clear();
}

static void narrow(struct screen *s)
{
	char what[64];

	if (!prompt("narrow: drop which access (or 'children')? ", "", what, sizeof(what)) || !what[0])
		return;
	if (!strcmp(what, "children"))
		outcome(s, review_narrow_children(s->r, s->cursor), "replaced by the observed children");
	else
		outcome(s, review_narrow_access(s->r, s->cursor, what), "narrowed");
}

static void edit_note(struct screen *s)
{
	const struct review_row *w = &s->r->rows[s->cursor];
	const char *old = w->heading || w->grant ? NULL : w->net ? s->r->p.net[w->index].note : s->r->p.files[w->index].note;
	char text[512];

	if (prompt("note: ", old ? old : "", text, sizeof(text)))
		outcome(s, review_note(s->r, s->cursor, text), "note set");
}

static void add_rule(struct screen *s)
{
	char line[STK_PATH_MAX];

	if (prompt("add rule: ", "", line, sizeof(line)) && line[0])
		outcome(s, review_add(s->r, line), "rule added");
}

static void filter_rules(struct screen *s)
{
	char text[256];

	if (prompt("filter: ", s->r->filter, text, sizeof(text))) {
		outcome(s, review_set_filter(s->r, text), "");
		s->cursor = s->top = 0;
	}
}

static void approve(struct screen *s)
{
	size_t pending = review_pending(s->r);
	char question[128];
	int answer;

	if (pending) {
		snprintf(question, sizeof(question), "%zu rule%s new or wider and not accepted: approve anyway? (y/n) ",
			 pending, pending == 1 ? " is" : "s are");
		if (!ask(question, "yn", &answer) || answer != 'y')
			return;
	}
	outcome(s, review_approve(s->r, review_login(), (int64_t)time(NULL)), "approved and saved");
}

/* false: leave. */
static bool quit(struct screen *s)
{
	int answer;

	if (!s->r->dirty)
		return false;
	if (!ask("unsaved changes: (s)ave and quit, (d)iscard them, or (c)ancel? ", "sdc", &answer) || answer == 'c')
		return true;
	if (answer == 's' && review_save(s->r)) {
		outcome(s, -1, "");
		return true;
	}
	return false;
}

static void move_cursor(struct screen *s, long delta)
{
	long to = (long)s->cursor + delta;

	s->cursor = to < 0 ? 0 : (size_t)to;
}

/* One key; false when the review is over. */
static bool key(struct screen *s, int c)
{
	long page = list_height() - 1;

	s->message[0] = 0;
	switch (c) {
	case KEY_UP:
	case 'k':
		move_cursor(s, -1);
		break;
	case KEY_DOWN:
	case 'j':
		move_cursor(s, 1);
		break;
	case KEY_PPAGE:
		move_cursor(s, -page);
		break;
	case KEY_NPAGE:
	case ' ':
		move_cursor(s, page);
		break;
	case KEY_HOME:
	case 'g':
		s->cursor = 0;
		break;
	case KEY_END:
	case 'G':
		s->cursor = s->r->nrows ? s->r->nrows - 1 : 0;
		break;
	case 'a':
		if (review_accept(s->r, s->cursor) == 0)
			move_cursor(s, 1);
		else
			outcome(s, -1, "");
		break;
	case 'd':
		outcome(s, review_delete(s->r, s->cursor), "deleted (u undoes)");
		break;
	case 'n':
		narrow(s);
		break;
	case 'w':
		outcome(s, review_widen(s->r, s->cursor), "widened");
		break;
	case 'x':
		outcome(s, review_toggle_deny(s->r, s->cursor), "deny switched");
		break;
	case 'e':
		edit_note(s);
		break;
	case '+':
		add_rule(s);
		break;
	case 'u':
		outcome(s, review_undo(s->r), "undone");
		break;
	case '/':
		filter_rules(s);
		break;
	case 's':
		outcome(s, review_save(s->r), "saved");
		break;
	case 'A':
		approve(s);
		break;
	case '?':
		show_help();
		break;
	case 'o':
		show_overview(s);
		break;
	case 'q':
		return quit(s);
	default: /* KEY_RESIZE among them: the next draw fits the new size */
		break;
	}
	return true;
}

int review_screen(struct review *r)
{
	struct screen s = { .r = r };

	set_escdelay(25);
	initscr(); /* exits with a message of its own if the terminal is unusable */
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_NEW, COLOR_GREEN, -1);
		init_pair(PAIR_WIDER, COLOR_YELLOW, -1);
		init_pair(PAIR_DENY, COLOR_RED, -1);
		init_pair(PAIR_BAR, COLOR_BLACK, COLOR_CYAN);
	}
	s.cursor = r->nrows > 1 ? 1 : 0; /* the first rule, below the first heading */
	show_overview(&s);
	do {
		draw(&s);
	} while (key(&s, getch()));
	endwin();
	return 0;
}
