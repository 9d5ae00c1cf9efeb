/*
 * libFuzzer harness for the capture manifest's reader (src/proc/manifest.c):
 * any input is parsed or refused with a cause, never a crash, a leak or an
 * over-read; what is accepted is coherent (schema known, files sorted with a
 * path each, an errno for every error text), and parsing the same input twice
 * (into a used manifest) gives the same result.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proc/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes: an over-read shows under ASan. */
	char *buf = malloc(size ? size : 1);
	struct ml_manifest a, b;
	char *ca = NULL, *cb = NULL;
	int ra, rb;
	size_t i;

	FUZZ_CHECK(buf != NULL);
	memcpy(buf, data, size);
	ml_manifest_init(&a);
	ml_manifest_init(&b);
	ra = ml_manifest_parse(&a, buf, size, &ca);
	FUZZ_CHECK(ra == 0 || ra == -1);
	FUZZ_CHECK((ra == 0) == (ca == NULL));
	if (ra == 0) {
		FUZZ_CHECK(a.schema == ML_MANIFEST_SCHEMA);
		for (i = 0; i < a.nfiles; i++) {
			FUZZ_CHECK(a.files[i].path != NULL && a.files[i].path[0] != '\0');
			FUZZ_CHECK(a.files[i].mode <= 07777);
			FUZZ_CHECK(a.files[i].err >= 0);
			if (i > 0)
				FUZZ_CHECK(strcmp(a.files[i - 1].path, a.files[i].path) <= 0);
			FUZZ_CHECK(ml_manifest_find(&a, a.files[i].path) != NULL);
		}
	} else {
		FUZZ_CHECK(a.nfiles == 0 && a.files == NULL);
	}
	/* Into a used manifest (b holds a's result first): the same outcome. */
	rb = ml_manifest_parse(&b, buf, size, &cb);
	rb = ml_manifest_parse(&b, buf, size, &cb);
	FUZZ_CHECK(ra == rb);
	FUZZ_CHECK(a.nfiles == b.nfiles);
	if (ra != 0)
		FUZZ_CHECK(strcmp(ca, cb) == 0);
	for (i = 0; i < a.nfiles && i < b.nfiles; i++)
		FUZZ_CHECK(strcmp(a.files[i].path, b.files[i].path) == 0 &&
			   a.files[i].size == b.files[i].size && a.files[i].err == b.files[i].err);
	free(ca);
	free(cb);
	ml_manifest_release(&a);
	ml_manifest_release(&b);
	free(buf);
	return 0;
}
