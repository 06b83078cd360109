/*
 * fuzz_accept.c - the Accept header: httphdr_accept_q and
 * httphdr_prefers_xml.
 *
 * Input: the media type to weigh, a newline, then the Accept header. Checks
 * that weights stay in [0, 1], that a wildcard media type gets 0, and
 * that XML is preferred only when it really outweighs HTML.
 */
#include "fuzz.h"

#include "httphdr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *media_type = fuzz_take(&data, &size, '\n');
	char *accept = fuzz_cstr(data, size);
	double q, html, xml;
	int prefers;

	q = httphdr_accept_q(accept, media_type);
	FUZZ_CHECK(q >= 0.0 && q <= 1.0);
	/* Wildcards are for ranges, never for the type being weighed. */
	FUZZ_CHECK(httphdr_accept_q(accept, "*/*") == 0.0);
	FUZZ_CHECK(httphdr_accept_q(accept, "text/*") == 0.0);
	FUZZ_CHECK(httphdr_accept_q(NULL, "text/html") == 1.0);

	prefers = httphdr_prefers_xml(accept);
	FUZZ_CHECK(prefers == 0 || prefers == 1);
	html = httphdr_accept_q(accept, "text/html");
	xml = httphdr_accept_q(accept, "application/xml");
	if (httphdr_accept_q(accept, "text/xml") > xml)
		xml = httphdr_accept_q(accept, "text/xml");
	FUZZ_CHECK(prefers == (xml > html));

	(void)httphdr_media_is(accept, media_type);
	free(accept);
	free(media_type);
	return 0;
}
