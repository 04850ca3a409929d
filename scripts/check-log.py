#!/usr/bin/env python3
"""Independent re-count of a gen-log.py output, compared with its OUT.truth.json.

    scripts/check-log.py FILE [--truth FILE.truth.json]

Reads the file line by line (plain `docker logs` layout, or `journalctl -o json` lines, which
are decoded back to the raw line bytes first), assembles records the way evolution-logs.md §12
describes (header line + continuation lines; pino / npm / deploy / raw console lines stand
alone), and recounts bytes, lines, records, instance tags, objects, Prisma failure events by
code / model / trailer order and the lines matching `code: 'P\\d{4}'`. It also checks the colour
layout byte rules on every header (§2.1), the `␠` + empty line after every `[object]` body, and
that each [unhandledRejection] Prisma record pair agrees (same code, same date).

Pure Python, ~80 MB/s on plain files (slower on journal JSON). Exit status 1 on a mismatch.
"""

import argparse
import json
import re
import sys

ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")
RAW_HEADER = re.compile(
    rb"^\x1b\[1m\x1b\[3([0-7])m\[Evolution API\]\x1b\[0m \x1b\[1m\x1b\[3\1m (?:\[([^\]\n]*)\])? "
    rb"\x1b\[1m\x1b\[3\1m v(\d+\.\d+\.\d+(?:[-.][0-9A-Za-z.]+)?) \x1b\[1m\x1b\[3\1m (\d+) \x1b\[0m "
    rb"\x1b\[1m\x1b\[3\1m - \x1b\[1m\x1b\[37m ((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{4} "
    rb"\d{2}:\d{2}:\d{2})   \x1b\[0m \x1b\[3\1m\x1b\[4\1m\x1b\[1m (LOG|INFO|WARN|ERROR|DEBUG|VERBOSE|DARK) "
    rb"\x1b\[0m \x1b\[33m\x1b\[1m \[([^\]\n]+)\]\x1b\[0m \x1b\[3\1m\x1b\[1m \[(string|object|number|boolean|"
    rb"undefined)\]\x1b\[0m \x1b\[3\1m (.*)$")
LEVEL_DIGIT = {b"LOG": b"2", b"INFO": b"4", b"WARN": b"3", b"ERROR": b"1", b"DEBUG": b"6",
               b"VERBOSE": b"7", b"DARK": b"0"}
PINO = re.compile(rb'^\{"level":\d{2},"time":\d{13},"pid":\d+,')
STARTUP = re.compile(rb"^(?:> |npm (?:error|ERR!|warn|WARN) |Deploying migrations|Database URL: |"
                     rb"Migration (?:succeeded|failed)|Prisma (?:schema loaded|generate)|Datasource \"|"
                     rb"\d+ migrations? found|No pending migrations|\xe2\x9c\x94 Generated Prisma Client)")
CONSOLE = re.compile(rb"^(?:recv \d+ chats, |Cache request for group: |Chat insert record ignored: |CB:)")
CODE = re.compile(rb"code: '(P\d{4})'")
MODEL = re.compile(rb"^ *(?:meta: \{ )?modelName: '(\w+)'", re.M)


def plain_lines(path):
    with open(path, "rb") as f:
        first = f.read(16)
        f.seek(0)
        journal = first.startswith(b'{"__CURSOR"')
        for raw in f:
            if journal:
                obj = json.loads(raw)
                m = obj["MESSAGE"]
                yield raw, (bytes(m) if isinstance(m, list) else m.encode("utf-8"))
            else:
                yield raw, raw[:-1] if raw.endswith(b"\n") else raw


def main():
    ap = argparse.ArgumentParser(description="recount a gen-log.py file and compare with its truth")
    ap.add_argument("file")
    ap.add_argument("--truth")
    args = ap.parse_args()
    truth = json.load(open(args.truth or args.file + ".truth.json"))

    c = dict(bytes=0, lines=0, logger_records=0, instance_records=0, utf8_instance_records=0,
             object_records=0, string_records=0, other_type_records=0, pino_lines=0,
             console_lines=0, startup_lines=0, code_lines=0)
    errors = []
    events_by_code, events_by_code_model, events_by_order, events_by_kind = {}, {}, {}, {}
    code_lines_by_code = {}
    rec = None            # (header match, [continuation lines])
    pending_nested = None  # (code, date) of a nested Prisma unhandledRejection record

    def bump(d, k):
        d[k] = d.get(k, 0) + 1

    def close(r):
        nonlocal pending_nested
        if r is None:
            return
        m, body = r
        vtype, ctx, date = m.group(8), m.group(7), m.group(5)
        if vtype == b"object":
            # body must end with "<text>␠" then one empty line
            if len(body) < 2 or body[-1] != b"" or not body[-2].endswith(b" "):
                errors.append("object record without '␠' + empty line at %r" % date)
            text = b"\n".join(body)
            if b"PrismaClientKnownRequestError" in text:
                codes = CODE.findall(text)
                if ctx == b"unhandledRejection" and b"<rejected> PrismaClient" in text:
                    if pending_nested:
                        errors.append("two nested Prisma records in a row")
                    pending_nested = (codes[0] if codes else None, date)
                    return
                code = codes[0] if codes else None
                mm = MODEL.search(text)
                model = mm.group(1).decode() if mm else "?"
                order = ("code,meta,clientVersion" if re.search(rb"\n  meta: [^\n]*(?:\n    [^\n]*\n  \})?,\n  clientVersion", text)
                         else "code,clientVersion,meta")
                if ctx == b"unhandledRejection":
                    if not pending_nested or pending_nested[0] != code or pending_nested[1] != date:
                        errors.append("bare Prisma record without matching nested record at %r" % date)
                    pending_nested = None
                    bump(events_by_kind, "unhandledRejection_pair")
                else:
                    bump(events_by_kind, "channel_startup_record")
                k = code.decode() if code else "none"
                bump(events_by_code, k)
                bump(events_by_code_model, "%s|%s" % (k, model))
                bump(events_by_order, order)

    for raw, line in plain_lines(args.file):
        c["bytes"] += len(raw)
        c["lines"] += 1
        for cm in CODE.finditer(line):
            c["code_lines"] += 1
            bump(code_lines_by_code, cm.group(1).decode())
        if line.startswith(b"\x1b[1m\x1b[3"):
            m = RAW_HEADER.match(line)
            if not m:
                errors.append("malformed header: %r" % line[:120])
                continue
            close(rec)
            rec = (m, [])
            c["logger_records"] += 1
            if LEVEL_DIGIT[m.group(6)] != m.group(1):
                errors.append("level colour mismatch: %r" % line[:80])
            if m.group(2) is not None:
                c["instance_records"] += 1
                if not m.group(2).isascii():
                    c["utf8_instance_records"] += 1
            vt = m.group(8)
            tail = m.group(9)
            if vt == b"object":
                c["object_records"] += 1
                if tail != b" \x1b[0m":
                    errors.append("object header tail %r" % tail)
            elif vt == b"string":
                c["string_records"] += 1
            else:
                c["other_type_records"] += 1
            continue
        if PINO.match(line):
            close(rec); rec = None
            c["pino_lines"] += 1
        elif STARTUP.match(line):
            close(rec); rec = None
            c["startup_lines"] += 1
        elif CONSOLE.match(line):
            close(rec); rec = None
            c["console_lines"] += 1
        elif rec is not None:
            rec[1].append(line)
    close(rec)

    t = truth
    bd = t["record_breakdown"]
    p = t["prisma"]
    checks = [
        ("bytes", c["bytes"], t["bytes"]),
        ("lines", c["lines"], t["lines"]),
        ("records", c["logger_records"] + c["pino_lines"] + c["console_lines"] + c["startup_lines"],
         t["records"]),
        ("code_lines", c["code_lines"], p["code_lines"]),
        ("code_lines_by_code", code_lines_by_code, p["code_lines_by_code"]),
        ("events", sum(events_by_code.values()), p["events"]),
        ("events_by_code", events_by_code, p["events_by_code"]),
        ("events_by_code_model", events_by_code_model, p["events_by_code_model"]),
        ("events_by_trailer_order", events_by_order, p["events_by_trailer_order"]),
        ("events_by_kind", events_by_kind, p["events_by_kind"]),
    ]
    for k in ("logger_records", "instance_records", "utf8_instance_records", "object_records",
              "string_records", "other_type_records", "pino_lines", "console_lines", "startup_lines"):
        checks.append((k, c[k], bd[k]))
    bad = 0
    for name, got, want in checks:
        ok = got == want
        bad += not ok
        print("%-26s %-5s %s%s" % (name, "ok" if ok else "DIFF", json.dumps(got),
                                   "" if ok else "   truth: " + json.dumps(want)))
    if c["logger_records"]:
        print("instance share of headers: %.1f %%, UTF-8 share of tagged: %.2f %%, objects: %.2f %% of records"
              % (100 * c["instance_records"] / c["logger_records"],
                 100 * c["utf8_instance_records"] / max(1, c["instance_records"]),
                 100 * c["object_records"] / t["records"]))
    for e in errors[:20]:
        print("ERROR:", e)
    if errors:
        print("%d layout errors" % len(errors))
    sys.exit(1 if bad or errors else 0)


if __name__ == "__main__":
    main()
