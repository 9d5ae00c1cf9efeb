/*
 * /proc/pressure/memory (PSI, 4.20+; doc/procfs.md section 17): two lines,
 *   some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * Averages are percentages of wall time with two decimals, kept in
 * hundredths (1234 = 12.34 %); total is stall time in microseconds.
 * The file is missing without CONFIG_PSI and fails EOPNOTSUPP with psi=0.
 */
#ifndef ML_PRESSURE_H
#define ML_PRESSURE_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/source.h"

struct ml_psi_line {
	bool present;
	uint32_t avg10, avg60, avg300; /* hundredths of a percent */
	uint64_t total_us;
};

struct ml_pressure {
	struct ml_psi_line some, full;
};

extern const struct ml_source ml_src_pressure_memory;

#endif /* ML_PRESSURE_H */
