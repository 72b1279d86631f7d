/*
 * versions.h — the store's part for plan documents (tables of migration
 * 006_versions.sql): document numbers, versions and their history, the
 * snapshots of target cells per version, change requests with their cells
 * and votes, and responsibility letter signatures. SQLite only for now
 * (sqlite_versions.c); every function returns SP_ESTORE with the database's
 * message on a database failure, SP_EINVAL if the store is not SQLite.
 *
 * Nothing here decides policy (who may do what, when a vote passes): that
 * is the app layer's (app/versions.c, app/change.c, app/letter.c). Arrays
 * returned through **out are malloc'd; the caller frees them with free().
 */
#ifndef SP_STORE_VERSIONS_H
#define SP_STORE_VERSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define SP_DOCNO_MAX 64	  /* document numbers (bytes incl. NUL) */
#define SP_REASON_MAX 512 /* reasons, notes, comments (bytes incl. NUL) */
#define SP_USER_MAX 64	  /* user names as recorded */

/* A version of a plan. status: "draft" "submitted" "approved" "active"
 * "archived" "rejected" "discarded". */
struct sp_plan_version {
	int64_t id;
	int64_t plan_id;
	int number; /* 1 = the original */
	char status[16];
	char reason[SP_REASON_MAX];
	int64_t change_id; /* the change request it was made by, 0 if none */
	char created_by[SP_USER_MAX];
	int64_t created_at;
};

/* A transition of a version: the status it entered. */
struct sp_version_event {
	int number; /* the version's number */
	char status[16];
	char username[SP_USER_MAX];
	int64_t at;
	char note[SP_REASON_MAX];
};

/* A change request. status: "open" "approved" "rejected" "expired"
 * "failed" "withdrawn"; kind "major" or "minor". board and veto are
 * comma-separated user names copied from the settings when proposed. */
struct sp_change_req {
	int64_t id;
	int64_t plan_id;
	int base_version;
	char kind[8];
	char why[SP_REASON_MAX]; /* why it was classified so */
	char reason[SP_REASON_MAX];
	char status[16];
	char proposed_by[SP_USER_MAX];
	int64_t proposed_at, expires_at, decided_at; /* decided_at 0 while open */
	char decision[SP_REASON_MAX];
	int applied_version; /* 0 if none */
	char board[1024];
	char veto[1024];
	int fraction_num, fraction_den;
	char abstentions[16]; /* "against" or "exclude" */
};

/* A cell of a change request: the key (as in struct sp_target; value is
 * unused), the value when proposed (has_old false: the cell was new) and
 * the value asked for. */
struct sp_change_cell {
	struct sp_target key;
	bool has_old;
	int64_t old_value;
	int64_t new_value;
};

struct sp_change_vote {
	char username[SP_USER_MAX];
	char vote[16]; /* "approve" "reject" "abstain" */
	char comment[SP_REASON_MAX];
	int64_t at;
};

struct sp_letter_sig {
	int64_t id;
	int64_t plan_id;
	int64_t org_id;
	int version;
	char username[SP_USER_MAX];
	sp_date signed_on;
	int64_t at;
	char recorded_by[SP_USER_MAX];
};

/* ---- plan documents and versions -------------------------------------------- */

/* Set a plan's status column (the working copy can change only while it is
 * "draft" or "revising"). SP_ENOTFOUND if there is no such plan. */
sp_err sp_store_versions_plan_status(struct sp_store *st, int64_t plan_id, const char *status,
				     struct sp_errbuf *eb);

/* The document number of a plan into buf. SP_ENOTFOUND if it has none. */
sp_err sp_store_versions_doc_get(struct sp_store *st, int64_t plan_id, char *buf, size_t n,
				 struct sp_errbuf *eb);
/* The next sequence number for plans of fiscal year `year` (1 for the
 * first). */
sp_err sp_store_versions_doc_next_seq(struct sp_store *st, int year, int *seq,
				      struct sp_errbuf *eb);
/* Give a plan its number. SP_ECONFLICT if the number is taken. */
sp_err sp_store_versions_doc_set(struct sp_store *st, int64_t plan_id, int year, int seq,
				 const char *doc_no, struct sp_errbuf *eb);

/* Insert a version (id set on return). SP_ECONFLICT if the number exists. */
sp_err sp_store_versions_insert(struct sp_store *st, struct sp_plan_version *v,
				struct sp_errbuf *eb);
sp_err sp_store_versions_set_status(struct sp_store *st, int64_t version_id, const char *status,
				    struct sp_errbuf *eb);
/* The versions of a plan ordered by number. */
sp_err sp_store_versions_list(struct sp_store *st, int64_t plan_id, struct sp_plan_version **out,
			      size_t *n, struct sp_errbuf *eb);
/* Record a transition. */
sp_err sp_store_versions_event_add(struct sp_store *st, int64_t version_id, const char *status,
				   const char *username, int64_t at, const char *note,
				   struct sp_errbuf *eb);
/* Every transition of a plan's versions, in the order they happened. */
sp_err sp_store_versions_events(struct sp_store *st, int64_t plan_id, struct sp_version_event **out,
				size_t *n, struct sp_errbuf *eb);

/* Copy the plan's working copy (its target rows) into version_id's
 * snapshot, replacing any earlier snapshot of that version. */
sp_err sp_store_versions_snapshot(struct sp_store *st, int64_t version_id, int64_t plan_id,
				  struct sp_errbuf *eb);
/* The snapshot of a version as target cells ordered by id (id and
 * parent_id are the working copy's ids when the snapshot was taken;
 * plan_id is set). */
sp_err sp_store_versions_cells(struct sp_store *st, int64_t version_id, int64_t plan_id,
			       struct sp_target **out, size_t *n, struct sp_errbuf *eb);
/* Replace the plan's working copy by version_id's snapshot (split links
 * kept; cell ids may change). The plan's status must allow writing. */
sp_err sp_store_versions_restore(struct sp_store *st, int64_t plan_id, int64_t version_id,
				 struct sp_errbuf *eb);

/* ---- change requests ----------------------------------------------------------- */

/* Insert a request and its cells (c->id set on return). */
sp_err sp_store_change_insert(struct sp_store *st, struct sp_change_req *c,
			      const struct sp_change_cell *cells, size_t ncells,
			      struct sp_errbuf *eb);
/* SP_ENOTFOUND if there is no such request. */
sp_err sp_store_change_get(struct sp_store *st, int64_t id, struct sp_change_req *out,
			   struct sp_errbuf *eb);
/* Requests of a plan (plan_id 0: of every plan) ordered by id. */
sp_err sp_store_change_list(struct sp_store *st, int64_t plan_id, struct sp_change_req **out,
			    size_t *n, struct sp_errbuf *eb);
/* Set status, decided_at, decision and applied_version of c->id. */
sp_err sp_store_change_decide(struct sp_store *st, const struct sp_change_req *c,
			      struct sp_errbuf *eb);
/* The cells of a request in the order proposed. */
sp_err sp_store_change_cells(struct sp_store *st, int64_t id, struct sp_change_cell **out,
			     size_t *n, struct sp_errbuf *eb);
/* Record a vote. SP_ECONFLICT if the user voted on this request already. */
sp_err sp_store_change_vote_add(struct sp_store *st, int64_t id, const struct sp_change_vote *v,
				struct sp_errbuf *eb);
/* The votes of a request in the order cast. */
sp_err sp_store_change_votes(struct sp_store *st, int64_t id, struct sp_change_vote **out,
			     size_t *n, struct sp_errbuf *eb);

/* ---- responsibility letters -------------------------------------------------------- */

/* Record a signature (id set on return). SP_ECONFLICT if the letter of that
 * org node and version is signed already. */
sp_err sp_store_letter_sign(struct sp_store *st, struct sp_letter_sig *s, struct sp_errbuf *eb);
/* Signatures of a plan ordered by org node, then version. */
sp_err sp_store_letter_list(struct sp_store *st, int64_t plan_id, struct sp_letter_sig **out,
			    size_t *n, struct sp_errbuf *eb);

#endif
