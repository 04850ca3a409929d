#!/usr/bin/env python3
"""Writes a deterministic nginx `combined` access log of a requested size: the traffic in
front of an Evolution API server (message sends, instance fetches, Manager assets, and a
few POST /proxy/set and /webhook/set saves), for benchmarking the correlation.

Usage: scripts/gen-access-log.py --size 200M [--seed N] [--start 2025-06-10T12:00:00Z] OUT
"""
import argparse, random, sys, time, calendar

def size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="200M")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2025-06-10T12:00:00Z")
    ap.add_argument("out")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    target = size(a.size)
    t = calendar.timegm(time.strptime(a.start, "%Y-%m-%dT%H:%M:%SZ"))
    instances = ["loja-%03d" % i for i in range(300)]
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    ua = '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"'
    out = open(a.out, "w") if a.out != "-" else sys.stdout
    written = 0
    chunk = []
    while written < target:
        t += rng.choice((0, 0, 0, 1))
        g = time.gmtime(t)
        stamp = "%02d/%s/%d:%02d:%02d:%02d +0000" % (g.tm_mday, months[g.tm_mon - 1], g.tm_year, g.tm_hour, g.tm_min, g.tm_sec)
        inst = rng.choice(instances)
        r = rng.random()
        if r < 0.70:
            req, status, ref = "POST /message/sendText/%s HTTP/1.1" % inst, 201, "-"
        elif r < 0.85:
            req, status, ref = "GET /instance/fetchInstances HTTP/1.1", 200, "-"
        elif r < 0.97:
            req, status, ref = "GET /manager/assets/index-%d.js HTTP/2.0" % rng.randint(1, 9), 200, "https://evo.example.com/manager/"
        elif r < 0.99:
            req, status, ref = "POST /proxy/set/%s HTTP/1.1" % inst, rng.choice((201, 201, 201, 400)), "https://evo.example.com/manager/instance/4f9c2e1a-8d3b-4c57-9a61-2b7e0d5c3f18/proxy"
        else:
            req, status, ref = "POST /webhook/set/%s HTTP/1.1" % inst, rng.choice((201, 500)), "-"
        line = '203.0.113.%d - - [%s] "%s" %d %d "%s" %s\n' % (rng.randint(1, 254), stamp, req, status, rng.randint(80, 4000), ref, ua)
        chunk.append(line)
        written += len(line)
        if len(chunk) >= 10000:
            out.write("".join(chunk))
            chunk = []
    out.write("".join(chunk))

if __name__ == "__main__":
    main()
