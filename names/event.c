/* An event in words: one spelling for the recording, the terminal and the denial log. */
#include <stdio.h>
#include "names.h"

const char *verdict_name(uint32_t verdict)
{
	static const char *const names[] = {
		[STK_VERDICT_SEEN] = "seen",
		[STK_VERDICT_WOULD_DENY] = "would deny",
		[STK_VERDICT_DENIED] = "denied",
	};

	return verdict < sizeof(names) / sizeof(names[0]) && names[verdict] ? names[verdict] : "?";
}

void event_text(const struct stk_event *ev, struct event_text *out)
{
	out->grant = ev->type != STK_EV_FILE && ev->type != STK_EV_NET;
	out->object[0] = 0;
	if (ev->type == STK_EV_NET) {
		out->kind = "net";
		net_object_format(ev, out->object, sizeof(out->object));
		snprintf(out->access, sizeof(out->access), "%s", net_op_name(ev->access));
	} else if (ev->type == STK_EV_CAPABILITY || ev->type == STK_EV_SOCKET) {
		out->kind = GRANT_EVENT_KIND(ev);
		grant_event_name(ev, out->access, sizeof(out->access));
	} else if (ev->type == STK_EV_PRIVILEGE) {
		out->kind = "privilege";
		snprintf(out->object, sizeof(out->object), "%s", ev->path);
		snprintf(out->access, sizeof(out->access), "%s", privilege_name(ev->access));
	} else {
		out->kind = "file";
		snprintf(out->object, sizeof(out->object), "%s", ev->path);
		access_format(ev->access, out->access, sizeof(out->access));
	}
}

void event_describe(const struct stk_event *ev, char *buf, size_t len)
{
	bool kind_first = ev->type == STK_EV_CAPABILITY || ev->type == STK_EV_SOCKET; /* "capability setuid" */
	struct event_text t;

	event_text(ev, &t);
	snprintf(buf, len, "%s%s%s%s%s", kind_first ? t.kind : "", kind_first ? " " : "", t.access,
		 t.object[0] ? " " : "", t.object);
}
