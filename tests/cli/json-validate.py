#!/usr/bin/python3
"""Validate memlens JSON output against a schema in doc/schema/.

usage: json-validate.py SCHEMA [FILE]

FILE (or stdin) holds one JSON document, or JSON Lines (one per line, as
memlens prints with -i/-n). Exit 0 when every document is valid; otherwise
print each error with its path and exit 1.
"""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    src = open(sys.argv[2]) if len(sys.argv) == 3 else sys.stdin
    text = src.read()
    try:
        docs = [json.loads(text)]
    except json.JSONDecodeError:
        docs = [json.loads(line) for line in text.splitlines() if line.strip()]
    if not docs:
        print("no JSON document", file=sys.stderr)
        return 1
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for i, doc in enumerate(docs):
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
            path = "/".join(str(p) for p in err.absolute_path)
            print(f"document {i + 1}: /{path}: {err.message}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
