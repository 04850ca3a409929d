#!/usr/bin/env python3
"""Writes one adversarial Evolution log (issue 7, FUZZING.md "Bounded work") to stdout.

Usage: scripts/gen-adversarial.py CASE SIZE_MB
  backticks  brackets  quotes  braces   one Prisma error record after another, each a
                                         megabyte of the character after the error head
  longline                               one line of SIZE_MB without a newline, full of
                                         trigger words and backticks
  instances                              one P2002 error per distinct instance name
  fields                                 one P2002 error per distinct field list
Deterministic: the same arguments give the same bytes.
"""
import sys

HEADER = "[Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:{s:02d}     ERROR   [{ctx}]  [object]  "


def header(i, ctx="unhandledRejection", instance=None):
    h = HEADER.format(s=i % 60, ctx=ctx)
    if instance is not None:
        h = h.replace("[Evolution API]    ", "[Evolution API]  [" + instance + "]  ", 1)
    return h


def p2002(fields, target="'instanceId'"):
    return ("PrismaClientKnownRequestError: \n"
            "Invalid `prisma.proxy.create()` invocation in\n"
            "/evolution/dist/main.js:1:100\n\n"
            "Unique constraint failed on the fields: (" + fields + ")\n"
            "  code: 'P2002',\n  clientVersion: '5.22.0',\n  meta: { modelName: 'Proxy', target: [ " + target + " ] }\n}\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    case, size = sys.argv[1], int(float(sys.argv[2]) * (1 << 20))
    out = sys.stdout
    written = 0
    i = 0
    if case in ("backticks", "brackets", "quotes", "braces"):
        ch = {"backticks": "`", "brackets": "[", "quotes": "\"'", "braces": "{"}[case]
        body = (ch * ((1 << 20) // len(ch)))
        while written < size:
            rec = header(i) + "\nPrismaClientKnownRequestError: \nInvalid `prisma.proxy." + body + "\n  code: 'P2002',\n}\n"
            out.write(rec)
            written += len(rec)
            i += 1
    elif case == "longline":
        piece = "PrismaClientKnownRequestError Invalid `prisma.x.create()` code: 'P2002' ``[[{{'\"fields: (`a`) "
        out.write(header(0) + piece * (size // len(piece)))
    elif case == "instances":
        while written < size:
            rec = header(i, ctx="ProxyController", instance="inst-%d" % i) + "\n" + p2002("`instanceId`")
            out.write(rec)
            written += len(rec)
            i += 1
    elif case == "fields":
        while written < size:
            rec = header(i) + "\n" + p2002("`f%d`,`g%d`" % (i, i), "'f%d', 'g%d'" % (i, i))
            out.write(rec)
            written += len(rec)
            i += 1
    else:
        sys.exit("unknown case %s\n%s" % (case, __doc__))


if __name__ == "__main__":
    main()
