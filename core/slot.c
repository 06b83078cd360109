/*
 * slot.c - named extension points (ln_slot_render).
 *
 * A page asks for a slot; every loaded plugin that declares a filler for it
 * adds a <part plugin="..."> inside one <slot name="..."> element, in order
 * of the filler's `order`, then plugin name. A filler that fails has its
 * part removed and is logged; the page renders without it. Owns nothing:
 * the nodes belong to the page's document.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "request.h"
#include "site.h"

struct filler {
	const ln_slot *slot;
	struct plugin *plugin;
};

static int
filler_cmp(const void *x, const void *y)
{
	const struct filler *a = x, *b = y;

	if (a->slot->order != b->slot->order)
		return a->slot->order < b->slot->order ? -1 : 1;
	return strcmp(a->plugin->name, b->plugin->name);
}

int
ln_slot_render(ln_request *req, const char *slot, const char *subject,
    xmlNodePtr into)
{
	struct filler fillers[64];
	struct plugin *caller = req->plugin;
	const ln_slot *s;
	xmlNodePtr container, part;
	size_t n = 0, i;
	int rc;

	if (into == NULL || slot == NULL)
		return LN_EINVAL;
	for (i = 0; i < req->site->nplugins; i++)
		for (s = req->site->plugins[i]->desc->slots; s && s->name; s++)
			if (strcmp(s->name, slot) == 0 && s->fill != NULL &&
			    n < sizeof(fillers) / sizeof(fillers[0])) {
				fillers[n].slot = s;
				fillers[n].plugin = req->site->plugins[i];
				n++;
			}
	container = ln_xml_elem(into, "slot");
	if (container == NULL || ln_xml_attr(container, "name", slot) < 0)
		return LN_ENOMEM;
	qsort(fillers, n, sizeof(fillers[0]), filler_cmp);
	for (i = 0; i < n; i++) {
		part = ln_xml_elem(container, "part");
		if (part == NULL || ln_xml_attr(part, "plugin",
		    fillers[i].plugin->name) < 0)
			return LN_ENOMEM;
		req->plugin = fillers[i].plugin;
		log_set_plugin(fillers[i].plugin->name);
		rc = fillers[i].slot->fill(req, subject, part);
		req->plugin = caller;
		log_set_plugin(caller ? caller->name : NULL);
		if (rc < 0) {
			log_warnx("slot %s: filler of plugin %s failed (%d); left out",
			    slot, fillers[i].plugin->name, rc);
			xmlUnlinkNode(part);
			xmlFreeNode(part);
			/* A failed filler must not turn the page into an error. */
			if (req->status >= 400 && req->status != 503) {
				req->status = 200;
				req->error = NULL;
			}
		}
	}
	return 0;
}
