#!/usr/bin/env python3
"""The Python `re` script an operator would write instead of evoscan: the peer in BENCHMARKS.md.

Reads FILE in 4 MiB chunks as bytes (the fast way to use `re`; per-line str decoding is
several times slower), finds every `code: 'Pxxxx'` of a util.inspect-printed Prisma error and
reads the model and target fields from the 2 KiB after it. Prints one JSON object with the
counts by code and by (code, model, fields), so its work is comparable to
`evoscan scan --format json` (it does not correlate, redact or parse headers).

Usage: scripts/peer-python-re.py FILE
"""
import collections
import json
import re
import sys

CODE = re.compile(rb"code: '(P\d{4})'")
MODEL = re.compile(rb"modelName: '([^'\n]+)'")
TARGET = re.compile(rb"target: \[([^\]]*)\]|target: '([^'\n]+)'")
CHUNK = 4 << 20
TAIL = 2048  # bytes kept from the previous chunk so that meta after a code is seen


def scan(path):
    by_code = collections.Counter()
    by_fact = collections.Counter()
    with open(path, "rb") as f:
        carry = b""
        while True:
            data = f.read(CHUNK)
            buf = carry + data
            # Codes in the last TAIL bytes wait for the next chunk (their meta may be cut),
            # unless this is the end of the file.
            limit = len(buf) if not data else max(0, len(buf) - TAIL)
            for m in CODE.finditer(buf, 0, limit):
                code = m.group(1).decode()
                window = buf[m.end():m.end() + TAIL]
                model = MODEL.search(window)
                target = TARGET.search(window)
                fields = ""
                if target:
                    fields = (target.group(1) or target.group(2) or b"").decode(errors="replace").replace("'", "").replace(" ", "")
                by_code[code] += 1
                by_fact[(code, model.group(1).decode() if model else "", fields)] += 1
            if not data:
                break
            carry = buf[limit:]
    return by_code, by_fact


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    by_code, by_fact = scan(sys.argv[1])
    print(json.dumps({
        "codes": dict(sorted(by_code.items())),
        "facts": [{"code": c, "model": m, "fields": f, "count": n} for (c, m, f), n in by_fact.most_common()],
    }, indent=1))


if __name__ == "__main__":
    main()
