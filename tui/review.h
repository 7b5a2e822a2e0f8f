/*
 * The review stage: a profile being judged rule by rule before it is
 * approved. The model (model.c, its actions in actions.c) holds the profile,
 * the last approved version it is compared with, the rows on screen, and an
 * undo history; it has no terminal in it, so every action is unit-tested.
 * screen.c draws it with ncurses and maps keys to actions. Every function
 * that can fail returns -1 with stk_error() set and leaves the profile as it
 * was.
 */
#ifndef STOCKADE_REVIEW_H
#define STOCKADE_REVIEW_H

#include "../profile/profile.h"
#include "../db/db.h"

#define REVIEW_UNDO_MAX 64

/* A line of the rule list: a group heading or a rule. */
struct review_row {
	bool heading;
	bool net;            /* a network rule (p.net), else a file-system one (p.files) */
	bool grant;          /* a privilege, capability or socket family (name), or their heading */
	enum rule_kind kind; /* the group: files, exec, network (RULE_UNIX) */
	size_t index;        /* into p.files or p.net */
	char name[48];       /* a grant: "privilege mount", "capability chown", "socket vsock" */
};

struct review {
	char *file;              /* where the profile is saved */
	struct profile p;        /* being edited, always in canonical order */
	struct profile approved; /* what the rules are compared with */
	bool has_approved;
	struct db *db;           /* the recording, for narrowing to observed children */
	struct review_row *rows; /* the rules the filter shows, grouped */
	size_t nrows;
	uint8_t *changes;        /* enum rule_change of each p.files[i] ... */
	uint8_t *net_changes;    /* ... and of each p.net[i] */
	struct profile accepted_grants; /* grants accepted in this review (no rules, nothing allocated) */
	char filter[256];
	bool dirty;              /* changed since loaded or saved */
	struct profile undo[REVIEW_UNDO_MAX];
	size_t nundo;
};

/* Open file; approved is the version to compare with (NULL: FILE.approved
 * if it exists); db (may be NULL) the recording it was learned from. */
int review_open(struct review *r, const char *file, const char *approved, struct db *db);
void review_close(struct review *r);

/* What changed in the rule on row i since the approved version. */
enum rule_change review_change(const struct review *r, size_t row);
/* Whether the rule or grant on row i was accepted in this review. */
bool review_accepted(const struct review *r, size_t row);
/* How many rules are new or wider than approved and not yet accepted. */
size_t review_pending(const struct review *r);

/* ---- actions on the rule at row i (a heading is refused) ---------------- */

int review_accept(struct review *r, size_t row);  /* toggles */
int review_delete(struct review *r, size_t row);
/* Drop one access (by name) from a file rule. */
int review_narrow_access(struct review *r, size_t row, const char *access);
/* Replace a subtree rule by exact rules for what the recording saw in it. */
int review_narrow_children(struct review *r, size_t row);
/* A path becomes its directory's subtree, a subtree its parent's; a network
 * shrinks its prefix to the next octet (IPv4) or the next /16 (IPv6). */
int review_widen(struct review *r, size_t row);
int review_toggle_deny(struct review *r, size_t row);
/* Set the rule's note; an empty text removes it. */
int review_note(struct review *r, size_t row, const char *text);
/* Add a rule written as one line: "files ACCESS[,ACCESS] path|versions|subtree PATH",
 * "exec path|versions|subtree PATH", "unix path|subtree PATH" (PATH is the rest of
 * the line), "connect|bind|send tcp|udp ADDRESS[/PREFIX] [PORT[-PORT]]", or a
 * grant: "privilege NAME", "capability NAME", "socket NAME". */
int review_add(struct review *r, const char *line);
int review_undo(struct review *r);

/* Show only rules whose text contains the filter ("" shows all). */
int review_set_filter(struct review *r, const char *filter);
/* The row's rule as one line of text (what the filter searches). */
void review_row_text(const struct review *r, size_t row, char *buf, size_t len);

int review_save(struct review *r);
/* Stamp who and when with the digest of the rules, save the profile, and
 * keep a copy as FILE.approved for the next review to compare with. */
int review_approve(struct review *r, const char *who, int64_t at);

/* The login name to stamp approvals with. */
const char *review_login(void);

/* ncurses: the whole interactive review; returns the exit status. */
int review_screen(struct review *r);

#endif
