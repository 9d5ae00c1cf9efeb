#!/bin/sh
# Generate ./configure from configure.ac and Makefile.am (needs autoconf,
# automake and pkg-config's aclocal macros).
set -e
cd "$(dirname "$0")"
autoreconf --force --install --warnings=all
echo "Now run ./configure && make"
