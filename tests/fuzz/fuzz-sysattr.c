/*
 * libFuzzer harness for the one-value sysfs attributes and range lists
 * (src/proc/sysattr.c): every kind parses any text without reading past it;
 * a parsed choice's setting is one of its choices; a range list is
 * ascending and within bounds. The first byte after the chunk byte picks the
 * kind (the chunk byte is unused: an attribute is read whole).
 */
#include "config.h"

#include "fuzz.h"
#include "proc/sysattr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ml_attr a;
	size_t chunk, len, n, i;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *why;
	int ids[64];
	char *copy;

	/* an exact-length copy, so that ASan sees any read past the text */
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, buf, len);
	memset(&a, 0, sizeof a);
	if (ml_attr_parse((enum ml_attr_kind)(chunk % 5), copy, len, &a) == 0) {
		FUZZ_CHECK(a.state == ML_ATTR_OK);
		if (chunk % 5 == ML_ATTR_CHOICE) {
			const char *p = a.choices, *sp;
			size_t wl = strlen(a.word);
			int found = 0;

			while (*p != '\0') {
				sp = strchr(p, ' ');
				n = sp ? (size_t)(sp - p) : strlen(p);
				if (n == wl && memcmp(p, a.word, n) == 0)
					found = 1;
				p += n + (sp ? 1 : 0);
			}
			FUZZ_CHECK(found);
		}
	} else {
		FUZZ_CHECK(a.state == ML_ATTR_BAD && a.why != NULL);
	}
	if (ml_range_list_parse(copy, len, 1023, ids, 64, &n, &why) == 0) {
		for (i = 0; i < n; i++) {
			FUZZ_CHECK(ids[i] >= 0 && ids[i] <= 1023);
			FUZZ_CHECK(i == 0 || ids[i] > ids[i - 1]);
		}
	}
	free(copy);
	return 0;
}
