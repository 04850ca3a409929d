#!/usr/bin/env python3
"""Deterministic synthetic Evolution API log generator (benchmark input for evoscan).

Writes what `docker logs <evolution container>` prints for the default image (colour layout,
raw ANSI bytes; see shared/reference/evolution-logs.md §2.1), or the same stream as
`journalctl -o json` lines (inputs.md §3.2), and the ground truth of what it wrote.

    scripts/gen-log.py --size 1G [--dense] [--seed N] [--format plain|journal-json] OUT

OUT may be `-` (stdout). The ground truth is printed to stderr and written as JSON to
`OUT.truth.json` (or `--truth PATH`).

Sizes: `1G`, `1GiB`, `256M`, `512K` are binary (GiB/MiB/KiB); `1GB`, `20MB`, `500kB` are
decimal; a plain number is bytes. Generation stops at the first record boundary at or past
the requested size, so files are a few hundred bytes longer than asked.

Content (per run, split into ~8 "container runs" with their own pid, Evolution version and
Prisma client version, each started by the deploy/npm block and ended by npm's SIGTERM lines):

* ~96 % Evolution logger records, ~60 % of them tagged `[<instance>]` (300 instance names, 3 of
  them with UTF-8 characters, i.e. ~1 % of the tagged records); INFO/LOG/VERBOSE/WARN (+ a little
  DEBUG/ERROR) `[string]` lines, a few `[number]`/`[boolean]`/`[undefined]`, multi-line `[string]`
  values (the CONNECTED TO WHATSAPP box), ~0.4 % `[object]` records with multi-line
  `util.inspect` bodies ending `␠` + one empty line;
* ~3 % Baileys pino JSON lines, ~1 % raw console lines;
* decoys: `code: 428`, `code: 'ECONNREFUSED'`, `statusCode: 428`, `[PrismaRepository]` context,
  `Prisma query took N ms`, non-Prisma `[unhandledRejection]` pairs (Boom `Connection Closed`);
* Prisma failures: by default about one per 2,000 records, each as the 2.1.1+
  `[unhandledRejection]` record pair (nested `{ origin: Promise { <rejected> … }, stderr: 2 }`
  + the bare error), codes P2002 (Proxy/setProxy and others) / P2025 / P2003 / P2024 / P2000,
  trailer order `code, clientVersion, meta` (Prisma < 6.6) or `code, meta, clientVersion`
  (6.6+), templates by client version; `--dense`: one failure in every 20th record slot, half
  of them instance-tagged `ERROR [ChannelStartupService] [object]` records.

Everything is drawn from `random.Random(seed)` only, so the same seed, size, mode and format
give byte-identical output (for a given generator version and Python 3 minor version).
Speed: records are pre-rendered into a pool of byte-string templates (date / pino time are the
only holes) and joined into multi-MiB chunks.
"""

import argparse
import json
import os
import re
import sys
import time
from random import Random

GENERATOR_VERSION = "1"

ESC = "\x1b"
DATE_HOLE = "\x00D"          # replaced by the header date (24 bytes)
MS_HOLE = "\x00T"            # replaced by the pino epoch milliseconds (13 digits)
DATE_LEN = 24
MS_LEN = 13

LEVEL_DIGIT = {"LOG": "2", "INFO": "4", "WARN": "3", "ERROR": "1", "DEBUG": "6",
               "VERBOSE": "7", "DARK": "0"}

# Evolution version, Prisma client version (evolution-logs.md §1); ascending = upgrades.
RUNS = [
    ("2.1.1", "5.22.0"),
    ("2.2.0", "5.22.0"),
    ("2.2.3", "6.3.0"),
    ("2.2.3", "6.3.1"),
    ("2.3.1", "6.11.1"),
    ("2.3.4", "6.16.2"),
    ("2.3.6", "6.17.1"),
    ("2.4.0-rc2", "6.17.1"),
]

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
TZ_OFFSET = -3 * 3600                       # America/Sao_Paulo, the image default
START_EPOCH = 1749556800                    # 2025-06-10 09:00:00 -03:00

STAT_KEYS = (
    "logger_records", "instance_records", "utf8_instance_records",
    "string_records", "multiline_string_records", "object_records", "other_type_records",
    "pino_lines", "console_lines", "startup_lines",
    "non_prisma_rejection_pairs", "decoy_code_428_lines", "decoy_prisma_repository_records",
    "decoy_query_took_lines", "testproxy_success_lines",
)
SK = {k: i for i, k in enumerate(STAT_KEYS)}


def vtuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def civil_from_days(z):
    """days since 1970-01-01 -> (y, m, d); Howard Hinnant's algorithm (no locale, no tz)."""
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def js_date(epoch):
    """Date.prototype.toString() cut before ' GMT', in the image's zone (UTC-03:00)."""
    t = epoch + TZ_OFFSET
    days, rem = divmod(t, 86400)
    y, m, d = civil_from_days(days)
    wd = (days + 3) % 7                   # 1970-01-01 was a Thursday (Mon = 0)
    return "%s %s %02d %04d %02d:%02d:%02d" % (DAYS[wd], MONTHS[m - 1], d, y, rem // 3600,
                                               rem // 60 % 60, rem % 60)


# --------------------------------------------------------------------------------------------
# util.inspect helpers (Node 20 defaults: depth 2, breakLength 80, compact 3)

def js_str(s):
    if "'" not in s:
        return "'" + s + "'"
    if '"' not in s:
        return '"' + s + '"'
    return "`" + s + "`"


def js_val(v, indent):
    if isinstance(v, str):
        return js_str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return inspect_entries([js_val(x, indent + 2) for x in v], indent, "[", "]")
    if isinstance(v, dict):
        return inspect_obj(v, indent)
    if isinstance(v, Raw):
        return v.text
    raise TypeError(v)


class Raw:
    def __init__(self, text):
        self.text = text


def inspect_entries(output, indent, ob, cb):
    """reduceToSingleString(): one line if it fits in breakLength 80, else one entry a line."""
    if not output:
        return ob + cb if ob == "[" else "{}"
    start = len(output) + indent + len(ob) + 10
    total = len(output) + start
    fits = total + len(output) <= 80
    if fits:
        for e in output:
            total += len(e)
            if total > 80 or "\n" in e:
                fits = False
                break
    if fits:
        return ob + " " + ", ".join(output) + " " + cb
    pad = "\n" + " " * indent
    return ob + pad + "  " + ("," + pad + "  ").join(output) + pad + cb


def inspect_obj(d, indent):
    out = []
    for k, v in d.items():
        key = k if re.match(r"^[A-Za-z_$][\w$]*$", k) else js_str(k)
        out.append(key + ": " + js_val(v, indent + 2))
    return inspect_entries(out, indent, "{", "}")


def indent_block(text, n, first_prefix=None):
    """Indent every line of an inspected error nested at n spaces (empty lines -> n spaces)."""
    pad = " " * n
    lines = text.split("\n")
    res = []
    for i, ln in enumerate(lines):
        if i == 0 and first_prefix is not None:
            res.append(first_prefix + ln)
        else:
            res.append(pad + ln)
    return "\n".join(res)


# --------------------------------------------------------------------------------------------
# names

def make_instances(rng):
    words = ["loja", "vendas", "suporte", "atendimento", "financeiro", "comercial", "bot",
             "clinica", "pizzaria", "academia", "imobiliaria", "escola", "delivery", "farmacia",
             "oficina", "studio", "agencia", "mercado", "hotel", "consultorio", "pet", "barbearia",
             "otica", "advocacia", "contabil", "igreja", "cobranca", "marketing", "sac", "rh"]
    places = ["centro", "norte", "sul", "leste", "oeste", "sp", "rj", "bh", "poa", "recife",
              "campinas", "santos", "curitiba", "floripa", "goiania", "natal", "matriz", "filial"]
    names = set()
    out = []

    def add(n):
        if n not in names:
            names.add(n)
            out.append(n)

    while len(out) < 297:
        r = rng.random()
        w = rng.choice(words)
        if r < 0.40:
            add("%s-%s" % (w, rng.choice(places)))
        elif r < 0.55:
            add("%s%02d" % (w, rng.randint(1, 60)))
        elif r < 0.65:
            add("%s.%s" % (w, rng.choice(places)))
        elif r < 0.72:
            add("%s %s %d" % (w.capitalize(), rng.choice(places).capitalize(), rng.randint(1, 9)))
        elif r < 0.78:
            add("%s@%s" % (w, rng.choice(["empresa", "grupo", "holding", "loja"])))
        elif r < 0.88:
            add("%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                                rng.getrandbits(12),
                                                0x8000 | rng.getrandbits(14),
                                                rng.getrandbits(48)))
        elif r < 0.94:
            add("55%02d9%08d" % (rng.randint(11, 99), rng.randint(0, 99999999)))
        else:
            add("%s_%s" % (w, rng.choice(places)))
    for n in ("São Paulo Vendas", "Padaria Pão de Açúcar", "café-manhã"):   # ~1 % UTF-8
        add(n)
    rng.shuffle(out)
    return out


def jid(rng, group=False):
    if group:
        return "1203630%011d@g.us" % rng.randint(0, 99999999999)
    return "55%02d9%08d@s.whatsapp.net" % (rng.randint(11, 99), rng.randint(0, 99999999))


def msg_id(rng):
    return "3EB0%016X" % rng.getrandbits(64)


# --------------------------------------------------------------------------------------------
# one container run: renders records as str with DATE_HOLE / MS_HOLE

class Run:
    def __init__(self, rng, idx, version, prisma, instances, dense):
        self.rng = rng
        self.idx = idx
        self.version = version
        self.prisma = prisma
        self.instances = instances
        self.dense = dense
        self.pid = rng.randint(18, 260)
        self.host = "%012x" % rng.getrandbits(48)
        self.new_order = vtuple(prisma) >= (6, 6, 0)
        self.order_name = "code,meta,clientVersion" if self.new_order else "code,clientVersion,meta"
        # minified names differ per build
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        self.prisma_cls = rng.choice(letters[:26]) + rng.choice(letters[26:])
        self.prisma_cols = (rng.randint(4000, 9000), rng.randint(3000, 4000), rng.randint(2500, 3000),
                            rng.randint(8000, 11000))
        self.prisma_line = rng.choice([121, 124, 130])
        self.app_cls = [rng.choice(letters[:26]) + rng.choice(letters) for _ in range(12)]
        self.frame1 = ('"use strict";var %s=Object.create;var %s=Object.defineProperty;'
                       'var %s=Object.getOwnPropertyDescriptor;var %s=Object.getOwnPropertyNames;'
                       % tuple(rng.choice(letters) + rng.choice(letters) for _ in range(4)))
        self.wrong_invocation = rng.choice(["this.prismaRepository.instance.findFirst()",
                                            "this.cache.delete()",
                                            "this.prismaRepository.message.findMany()"])
        self.sites = {}

    # -- header (evolution-logs.md §2.1 byte template) --------------------------------------
    def header(self, level, inst, ctx, vtype, value=""):
        f = LEVEL_DIGIT[level]
        c = ESC + "[3" + f + "m"
        b = ESC + "[1m"
        r = ESC + "[0m"
        return (b + c + "[Evolution API]" + r + " " + b + c + " " + ("[" + inst + "]" if inst else "")
                + " " + b + c + " v" + self.version + " " + b + c + " " + str(self.pid) + " " + r + " "
                + b + c + " - " + b + ESC + "[37m " + DATE_HOLE + "   " + r + " "
                + c + ESC + "[4" + f + "m" + b + " " + level + " " + r + " "
                + ESC + "[33m" + b + " [" + ctx + "]" + r + " "
                + c + b + " [" + vtype + "]" + r + " " + c + " " + value + " " + r)

    def rec_string(self, level, inst, ctx, value, st):
        st["logger_records"] += 1
        st["string_records"] += 1
        if "\n" in value:
            st["multiline_string_records"] += 1
        self._inst(inst, st)
        return self.header(level, inst, ctx, "string", value) + "\n"

    def rec_other(self, level, inst, ctx, vtype, value, st):
        st["logger_records"] += 1
        st["other_type_records"] += 1
        self._inst(inst, st)
        return self.header(level, inst, ctx, vtype, value) + "\n"

    def rec_object(self, level, inst, ctx, body, st):
        """console.log(header…) then console.log(value, '\\n'): inspect + ' \\n\\n'."""
        st["logger_records"] += 1
        st["object_records"] += 1
        self._inst(inst, st)
        return self.header(level, inst, ctx, "object") + "\n" + body + " \n\n"

    @staticmethod
    def _inst(inst, st):
        if inst:
            st["instance_records"] += 1
            if not inst.isascii():
                st["utf8_instance_records"] += 1

    # -- normal (non-Prisma) records ----------------------------------------------------------
    def normal_entry(self, cat):
        rng = self.rng
        st = dict.fromkeys(STAT_KEYS, 0)
        inst = rng.choice(self.instances)
        if cat == "pino":
            st["pino_lines"] += 1
            return self.pino(st), st
        if cat == "console":
            st["console_lines"] += 1
            return self.console_line(), st
        if cat == "inst_string":
            return self.inst_string(inst, st), st
        if cat == "inst_object":
            return self.inst_object(inst, st), st
        if cat == "noinst_string":
            return self.noinst_string(st), st
        if cat == "noinst_object":
            return self.noinst_object(st), st
        if cat == "query_took":
            st["decoy_prisma_repository_records"] += 1
            st["decoy_query_took_lines"] += 1
            lvl = rng.choice(["VERBOSE", "VERBOSE", "DEBUG"])
            return self.rec_string(lvl, None, "PrismaRepository",
                                   "Prisma query took %d ms" % int(rng.expovariate(1 / 18) + 1), st), st
        raise ValueError(cat)

    EVENTS = ["MESSAGES_UPSERT", "MESSAGES_UPDATE", "PRESENCE_UPDATE", "CONTACTS_UPSERT",
              "CONTACTS_UPDATE", "CHATS_UPDATE", "CHATS_UPSERT", "SEND_MESSAGE",
              "CONNECTION_UPDATE", "MESSAGES_SET", "GROUPS_UPSERT", "LABELS_ASSOCIATION"]
    BAILEYS_EV = ["messages.upsert", "messages.update", "presence.update", "chats.update",
                  "contacts.update", "chats.upsert", "message-receipt.update", "groups.update",
                  "connection.update", "creds.update", "labels.association"]

    def inst_string(self, inst, st):
        rng = self.rng
        r = rng.random()
        if r < 0.0009:                       # multi-line values (logger.info(`\n …`))
            if rng.random() < 0.5:
                v = ("\n  ┌──────────────────────────────┐\n  │    CONNECTED TO WHATSAPP     │\n"
                     "  └──────────────────────────────┘")
            else:
                v = "\n  wuid: 55%02d9%08d\n  name: %s\n" % (rng.randint(11, 99),
                                                            rng.randint(0, 99999999), inst)
            return self.rec_string("INFO", inst, "ChannelStartupService", v, st)
        if r < 0.45:
            lvl = "VERBOSE"
            v = rng.choice([
                lambda: "Sending data to webhook in event " + rng.choice(self.EVENTS),
                lambda: "Sending data to websocket in event " + rng.choice(self.EVENTS),
                lambda: "Event received: " + rng.choice(self.BAILEYS_EV),
                lambda: "Fetching profile picture from " + jid(rng),
                lambda: "Message update received: %s status %s" % (msg_id(rng), rng.choice(
                    ["DELIVERY_ACK", "READ", "SERVER_ACK", "PLAYED"])),
                lambda: "Updating chat %s" % jid(rng, rng.random() < 0.3),
            ])()
        elif r < 0.75:
            lvl = "INFO"
            v = rng.choice([
                lambda: "Connection state: " + rng.choice(["open", "open", "connecting", "close"]),
                lambda: "Browser: Evolution API,Chrome,6.5.0-1085-aws",
                lambda: "Baileys version env: 2,3000,%d" % rng.randint(1015901307, 1025000000),
                lambda: "Group Ignore: " + rng.choice(["false", "true"]),
                lambda: "Sending message to " + jid(rng, rng.random() < 0.2),
                lambda: "Message %s sent" % msg_id(rng),
                lambda: "Contacts updated: %d" % rng.randint(1, 400),
            ])()
        elif r < 0.90:
            lvl = "LOG"
            v = rng.choice([
                lambda: "MESSAGES_UPSERT: %d message(s) received" % rng.randint(1, 12),
                lambda: "Settings loaded for instance",
                lambda: "Webhook enabled: " + rng.choice(["true", "false"]),
                lambda: "Chatwoot import: %d messages" % rng.randint(1, 9000),
            ])()
        elif r < 0.98:
            lvl = "WARN"
            v = rng.choice([
                lambda: "Message %s not found in database" % msg_id(rng),
                lambda: "Decrypt failed for message %s, retrying" % msg_id(rng),
                lambda: "Profile picture not found for " + jid(rng),
                lambda: "Media message without url: " + msg_id(rng),
            ])()
        elif r < 0.99:
            lvl = "DEBUG"
            v = "Presence update: %s from %s" % (rng.choice(["composing", "available",
                                                            "recording"]), jid(rng))
        else:
            lvl = "ERROR"
            v = rng.choice([
                lambda: "Error processing media message: Request failed with status code 410",
                lambda: "Error on webhook send: timeout of 30000ms exceeded",
            ])()
        return self.rec_string(lvl, inst, "ChannelStartupService", v, st)

    CONTEXTS = [
        ("WAMonitoringService", ["LOG", "INFO", "VERBOSE"], [
            lambda s, r: 'Instance "%s" - REMOVED' % r.choice(s.instances),
            lambda s, r: "Loading instances from database",
            lambda s, r: "Instance %s - CONNECTED" % r.choice(s.instances),
        ]),
        ("CacheService", ["VERBOSE"], [
            lambda s, r: "cache get: %s:%s" % (r.choice(s.instances), r.choice(
                ["contacts", "chats", "groupMetadata", "profilePic"])),
            lambda s, r: "cache set: %s" % jid(r, True),
        ]),
        ("ChatwootService", ["VERBOSE", "LOG", "WARN"], [
            lambda s, r: "event: " + r.choice(s.BAILEYS_EV),
            lambda s, r: "Chatwoot message sent: %d" % r.randint(1, 9999999),
            lambda s, r: "conversation not found for " + jid(r),
        ]),
        ("TypebotService", ["VERBOSE", "WARN"], [
            lambda s, r: "Session status: " + r.choice(["opened", "paused", "closed"]),
            lambda s, r: "Typebot not found for " + jid(r),
        ]),
        ("OpenaiService", ["VERBOSE"], [lambda s, r: "Processing message with OpenAI"]),
        ("EvolutionBotService", ["VERBOSE"], [lambda s, r: "Sending message to bot"]),
        ("WebhookController", ["INFO"], [lambda s, r: "Webhook set for " + r.choice(s.instances)]),
        ("OnWhatsappCache", ["VERBOSE"], [lambda s, r: "Cache miss for " + jid(r)]),
        ("BaileysMessageProcessor", ["VERBOSE"],
         [lambda s, r: "Processing message batch of %d" % r.randint(1, 50)]),
        ("RedisCache", ["VERBOSE", "INFO"], [lambda s, r: "redis ready",
                                            lambda s, r: "redis get: %s" % r.choice(s.instances)]),
        ("GUARD", ["WARN"], [lambda s, r: "Unauthorized: invalid apikey"]),
        ("InstanceController", ["INFO", "LOG"],
         [lambda s, r: "Instance %s logged out" % r.choice(s.instances)]),
        ("PrismaRepository", ["VERBOSE"], [lambda s, r: "Repository:Prisma - query ok"]),
    ]
    CONTEXT_W = [26, 22, 14, 8, 3, 3, 3, 7, 4, 5, 1, 2, 2]

    def noinst_string(self, st):
        rng = self.rng
        r = rng.random()
        if r < 0.012:
            vt, val = rng.choice([("number", lambda: str(rng.choice([200, 201, 400, 401, 404]))),
                                  ("boolean", lambda: rng.choice(["true", "false"])),
                                  ("undefined", lambda: "undefined")])
            return self.rec_other(rng.choice(["LOG", "VERBOSE"]), None,
                                  rng.choice(["ChatwootService", "CacheService", "LocalCache"]),
                                  vt, val(), st)
        if r < 0.02 and vtuple(self.version) >= (2, 3, 2):
            st["testproxy_success_lines"] += 1
            return self.rec_string("INFO", None, "ProxyController",
                                   "testProxy: proxy connection successful", st)
        ctx, levels, msgs = rng.choices(self.CONTEXTS, weights=self.CONTEXT_W)[0]
        if ctx == "PrismaRepository":
            st["decoy_prisma_repository_records"] += 1
        return self.rec_string(rng.choice(levels), None, ctx, rng.choice(msgs)(self, rng), st)

    def stack_str(self, lines):
        return "'" + "\\n' +\n    '".join(lines) + "'"

    def inst_object(self, inst, st):
        rng = self.rng
        r = rng.random()
        if r < 0.35:       # axios webhook error (real key set of the sendData error log)
            host = rng.choice(["hooks.example.com", "n8n.example.net", "api.crm.example.org"])
            ip = "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
            code = rng.choice(["ECONNREFUSED", "ETIMEDOUT", "ENOTFOUND"])
            msg = {"ECONNREFUSED": "connect ECONNREFUSED %s:443" % ip,
                   "ETIMEDOUT": "connect ETIMEDOUT %s:443" % ip,
                   "ENOTFOUND": "getaddrinfo ENOTFOUND %s" % host}[code]
            stack = ("'Error: %s\\n' +\n"
                     "    '    at Function.AxiosError.from (/evolution/node_modules/axios/dist/node/axios.cjs:%d:14)\\n' +\n"
                     "    '    at RedirectableRequest.handleRequestError (/evolution/node_modules/axios/dist/node/axios.cjs:%d:11)\\n' +\n"
                     "    '    at RedirectableRequest.emit (node:events:518:28)\\n' +\n"
                     "    '    at Axios.request (/evolution/node_modules/axios/dist/node/axios.cjs:%d:41)'"
                     % (msg, rng.randint(800, 900), rng.randint(3100, 3300), rng.randint(4200, 4300)))
            body = inspect_obj({
                "local": "ChannelStartupService.sendData-Webhook",
                "message": msg,
                "hostName": host if code == "ENOTFOUND" else Raw("undefined"),
                "syscall": "getaddrinfo" if code == "ENOTFOUND" else "connect",
                "code": code,
                "error": rng.choice([-111, -110, -3008]),
                "stack": Raw(stack),
                "name": "AxiosError",
                "url": "https://%s/evo/%s" % (host, "hook"),
                "server_url": "https://evo.example.com",
            }, 0)
            return self.rec_object("ERROR", inst, "ChannelStartupService", body, st)
        if r < 0.65:       # connection close with code: 428 (decoy)
            st["decoy_code_428_lines"] += 1
            body = inspect_obj({
                "instance": inst,
                "state": "close",
                "lastDisconnect": {"error": "Connection Closed", "code": 428,
                                   "date": "2025-06-10T%02d:%02d:%02d.%03dZ" % (
                                       rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                                       rng.randint(0, 999))},
                "shouldReconnect": True,
            }, 0)
            return self.rec_object("WARN", inst, "ChannelStartupService", body, st)
        # message payload dump (depth 2 -> [Object])
        body = inspect_obj({
            "key": {"remoteJid": jid(rng, rng.random() < 0.25), "fromMe": rng.random() < 0.4,
                    "id": msg_id(rng)},
            "pushName": rng.choice(["Maria", "João Silva", "Ana", "Carlos", "Cliente", "🙂 Bia"]),
            "message": {"conversation": "Olá, tudo bem? Pedido %d" % rng.randint(1, 99999),
                        "messageContextInfo": {"deviceListMetadata": Raw("[Object]"),
                                               "deviceListMetadataVersion": 2}},
            "messageType": "conversation",
            "messageTimestamp": 1749556800 + rng.randint(0, 10 ** 6),
            "instanceId": "%08x-%04x-4%03x-a%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                                          rng.getrandbits(12), rng.getrandbits(12),
                                                          rng.getrandbits(48)),
            "source": rng.choice(["android", "ios", "web"]),
        }, 0)
        return self.rec_object("VERBOSE", inst, "ChannelStartupService", body, st)

    def boom_error_text(self, nested):
        rng = self.rng
        head = ["Error: Connection Closed",
                "    at sendRawMessage (/evolution/node_modules/baileys/lib/Socket/socket.js:%d:19)"
                % rng.randint(55, 70),
                "    at sendNode (/evolution/node_modules/baileys/lib/Socket/socket.js:%d:16)"
                % rng.randint(80, 90),
                "    at Object.sendPresenceUpdate (/evolution/node_modules/baileys/lib/Socket/chats.js:%d:15) {"
                % rng.randint(480, 520)]
        if nested:
            tail = ["  data: null,", "  isBoom: true,", "  isServer: false,", "  output: [Object]", "}"]
        else:
            tail = ["  data: null,", "  isBoom: true,", "  isServer: false,", "  output: {",
                    "    statusCode: 428,", "    payload: {", "      statusCode: 428,",
                    "      error: 'Precondition Required',", "      message: 'Connection Closed'",
                    "    },", "    headers: {}", "  }", "}"]
        return "\n".join(head + tail)

    def noinst_object(self, st):
        rng = self.rng
        r = rng.random()
        if r < 0.40:       # non-Prisma unhandled rejection pair (2.1.1+ shape)
            st["non_prisma_rejection_pairs"] += 1
            nested = indent_block(self.boom_error_text(True), 4, "    <rejected> ")
            first = "{\n  origin: Promise {\n" + nested + "\n  },\n  stderr: 2\n}"
            return (self.rec_object("ERROR", None, "unhandledRejection", first, st)
                    + self.rec_object("ERROR", None, "unhandledRejection",
                                      self.boom_error_text(False), st))
        if r < 0.70:       # [SERVER] error event, 400
            body = inspect_obj({
                "event": "error",
                "data": {"error": "Bad Request",
                         "message": Raw("[ 'instance requires property \"instanceName\"' ]"),
                         "status": 400,
                         "response": {"message": Raw("[Array]")}},
                "date_time": "2025-06-10T%02d:%02d:%02d.%03dZ" % (
                    rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999)),
                "api_key": "B6D711FCDE4D4FD5936544120E713976",
                "server_url": "https://evo.example.com",
            }, 0)
            return self.rec_object("ERROR", None, "SERVER", body, st)
        body = inspect_obj({
            "message": "Request failed with status code %d" % rng.choice([401, 404, 500, 502]),
            "name": "AxiosError",
            "code": "ERR_BAD_RESPONSE",
            "status": rng.choice([404, 500, 502]),
            "url": "https://typebot.example.com/api/v1/typebots/%s/startChat" % (
                "cl%020x" % rng.getrandbits(80)),
        }, 0)
        return self.rec_object("ERROR", None, rng.choice(["TypebotService", "OpenaiService",
                                                          "DifyService", "N8nService"]), body, st)

    def pino(self, st):
        rng = self.rng
        pre = '{"level":%d,"time":' + MS_HOLE + ',"pid":%d,"hostname":"%s"'
        r = rng.random()
        if r < 0.55:
            lvl = 50
            msg = rng.choice(["unexpected error in 'handling message'", "failed to decrypt message",
                              "error in handling message", "stream errored out",
                              "failed to sync state from version", "unexpected error in 'init queries'",
                              "error in sending presence update"])
            extra = ',"key":{"remoteJid":"%s","id":"%s"}' % (jid(rng), msg_id(rng)) \
                if rng.random() < 0.4 else ""
            return (pre % (lvl, self.pid, self.host)) + extra + ',"msg":"' + msg + '"}\n'
        if r < 0.80:
            return ((pre % (50, self.pid, self.host))
                    + ',"err":{"type":"Error","message":"Connection Closed","stack":"Error: Connection '
                    'Closed\\n    at sendRawMessage (/evolution/node_modules/baileys/lib/Socket/socket.js:60:19)'
                    '\\n    at sendNode (/evolution/node_modules/baileys/lib/Socket/socket.js:84:16)",'
                    '"data":null,"isBoom":true,"isServer":false,"output":{"statusCode":428,"payload":'
                    '{"statusCode":428,"error":"Precondition Required","message":"Connection Closed"},'
                    '"headers":{}}},"msg":"' + rng.choice(["error in sending presence update",
                                                           "unexpected error in 'init queries'"]) + '"}\n')
        if r < 0.92:
            return ((pre % (40, self.pid, self.host)) + ',"jid":"%s","msg":"%s"}\n'
                    % (jid(rng), rng.choice(["Closing open session in favor of incoming prekey bundle",
                                              "Decrypted message with closed session.",
                                              "recv retry request, but message not available"])))
        return (pre % (30, self.pid, self.host)) + ',"class":"baileys","msg":"%s"}\n' % rng.choice(
            ["connected to WA", "opened connection to WA", "handled %d offline messages/notifications"
             % rng.randint(0, 300), "connection errored"])

    def console_line(self):
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            return "recv %d chats, %d contacts, %d msgs (is latest: %s, progress: %d%%), type: %d\n" % (
                rng.randint(0, 400), rng.randint(0, 3000), rng.randint(0, 20000),
                rng.choice(["false", "true"]), rng.randint(1, 100), rng.randint(1, 4))
        if r < 0.65:
            return "Cache request for group: %s\n" % jid(rng, True)
        if r < 0.85:
            return "Chat insert record ignored: %s\n" % jid(rng)
        return "CB:call,,%s\n" % rng.choice(["offer", "terminate", "relaylatency"])

    # -- start / stop blocks ------------------------------------------------------------------
    def startup_block(self):
        st = dict.fromkeys(STAT_KEYS, 0)
        ver = self.version
        lines = [
            "Deploying migrations for postgresql",
            "Database URL: postgresql://evo:s3cret@evolution_postgres:5432/evolution?schema=public",
            "",
            "> evolution-api@%s db:deploy" % ver,
            '> node runWithProvider.js "rm -rf ./prisma/migrations && cp -r ./prisma/DATABASE_PROVIDER-migrations '
            './prisma/migrations && npx prisma migrate deploy --schema ./prisma/DATABASE_PROVIDER-schema.prisma"',
            "",
            "Prisma schema loaded from prisma/postgresql-schema.prisma",
            'Datasource "db": PostgreSQL database "evolution", schema "public" at "evolution_postgres:5432"',
            "",
            "%d migrations found in prisma/migrations" % (30 + self.idx * 4),
            "",
            "No pending migrations to apply.",
            "Migration succeeded",
            "",
            "> evolution-api@%s db:generate" % ver,
            '> node runWithProvider.js "npx prisma generate --schema ./prisma/DATABASE_PROVIDER-schema.prisma"',
            "",
            "Prisma schema loaded from prisma/postgresql-schema.prisma",
            "",
            "✔ Generated Prisma Client (v%s) to ./node_modules/@prisma/client in %dms" % (
                self.prisma, self.rng.randint(300, 900)),
            "",
            "Prisma generate succeeded",
            "",
            "> evolution-api@%s start:prod" % ver,
            "> node dist/main",
            "",
        ]
        st["startup_lines"] += sum(1 for ln in lines if ln)
        text = "\n".join(lines) + "\n"
        text += self.rec_string("VERBOSE", None, "CacheService", "cacheservice disabled", st)
        text += self.rec_string("INFO", None, "PrismaRepository", "Repository:Prisma - ON", st)
        st["decoy_prisma_repository_records"] += 1
        text += self.rec_string("INFO", None, "WA MODULE", "Module - ON", st)
        text += self.rec_string("LOG", None, "SERVER", "HTTP - ON: 8080", st)
        return text, st

    def shutdown_block(self):
        st = dict.fromkeys(STAT_KEYS, 0)
        text = self.rec_string("WARN", None, "PrismaRepository", "Repository:Prisma - OFF", st)
        st["decoy_prisma_repository_records"] += 1
        lines = ["npm error path /evolution", "npm error command failed", "npm error signal SIGTERM",
                 "npm error command sh -c node dist/main",
                 "npm error A complete log of this run can be found in: /root/.npm/_logs/"
                 "2025-06-1%dT%02d_%02d_%02d_%03dZ-debug-0.log" % (
                     self.rng.randint(0, 9), self.rng.randint(0, 23), self.rng.randint(0, 59),
                     self.rng.randint(0, 59), self.rng.randint(0, 999))]
        st["startup_lines"] += len(lines)
        return text + "\n".join(lines) + "\n", st

    # -- Prisma failures ------------------------------------------------------------------------
    def prisma_variant(self, code):
        """-> dict(model, accessor, op, method, message, meta) for this client version."""
        rng = self.rng
        pv = vtuple(self.prisma)
        if code == "P2002":
            model, field, acc, op, method = rng.choices([
                ("Proxy", ["instanceId"], "proxy", "upsert", "setProxy"),
                ("Chatwoot", ["instanceId"], "chatwoot", "upsert", "setChatwoot"),
                ("IsOnWhatsapp", ["remoteJid"], "isOnWhatsapp", "create", "saveOnWhatsappCache"),
                ("Contact", ["remoteJid", "instanceId"], "contact", "create", "contactHandle"),
            ], weights=[80, 6, 8, 6])[0]
            msg = "Unique constraint failed on the fields: (%s)" % ",".join("`%s`" % f for f in field)
            meta = {"modelName": model, "target": field}
        elif code == "P2003":
            model, acc, op, method = rng.choice([
                ("Setting", "setting", "upsert", "setSettings"),
                ("Webhook", "webhook", "upsert", "setWebhook"),
                ("Message", "message", "create", "messageHandle"),
                ("Chat", "chat", "create", "chatHandle"),
            ])
            fk = "%s_instanceId_fkey" % model
            if pv < (5, 20, 0):
                msg = "Foreign key constraint failed on the field: `%s (index)`" % fk
                meta = {"modelName": model, "field_name": fk + " (index)"}
            elif pv < (6, 7, 0):
                msg = "Foreign key constraint violated: `%s (index)`" % fk
                meta = {"modelName": model, "field_name": fk + " (index)"}
            else:
                msg = "Foreign key constraint violated on the constraint: `%s`" % fk
                meta = {"modelName": model, "constraint": fk}
        elif code == "P2025":
            model, acc, method = rng.choice([
                ("Chat", "chat", "chatHandle"), ("Contact", "contact", "contactHandle"),
                ("Message", "message", "messageHandle"), ("Label", "label", "addLabel"),
            ])
            upd = rng.random() < 0.8
            op = "update" if upd else "delete"
            base = ("An operation failed because it depends on one or more records that were "
                    "required but not found. ")
            if pv < (6, 8, 0):
                cause = "Record to update not found." if upd else "Record to delete does not exist."
                msg = base + cause
                meta = {"modelName": model, "cause": cause}
            else:
                oper = "an update" if upd else "a delete"
                msg = base + "No record was found for %s." % oper
                meta = {"modelName": model, "operation": oper}
        elif code == "P2000":
            model, acc, op, method = rng.choice([
                ("Proxy", "proxy", "upsert", "setProxy"),
                ("Webhook", "webhook", "upsert", "setWebhook"),
                ("Chatwoot", "chatwoot", "upsert", "setChatwoot"),
            ])
            msg = ("The provided value for the column is too long for the column's type. "
                   "Column: (not available)")
            meta = {"modelName": model, "column_name": "(not available)"}
        elif code == "P2024":
            model, acc, op, method = rng.choice([
                ("MessageUpdate", "messageUpdate", "create", "messageHandle"),
                ("Message", "message", "create", "messageHandle"),
                ("Contact", "contact", "upsert", "contactHandle"),
            ])
            limit = rng.choice([5, 9, 17])
            msg = ("Timed out fetching a new connection from the connection pool. More info: "
                   "http://pris.ly/d/connection-pool (Current connection pool timeout: 10, "
                   "connection limit: %d)" % limit)
            meta = {"modelName": model, "connection_limit": limit, "timeout": 10}
        else:
            raise ValueError(code)
        return dict(code=code, model=model, acc=acc, op=op, method=method, msg=msg, meta=meta)

    def prisma_error(self, v, nested):
        """util.inspect(err) of a PrismaClientKnownRequestError at depth 0 (nested=False) or the
        same text as printed inside origin: Promise { <rejected> … } (nested=True, before
        indentation: meta becomes [Object])."""
        rng = self.rng
        inv = v["inv"]
        lib = "/evolution/node_modules/@prisma/client/runtime/library.js"
        c = self.prisma_cls
        lines = [
            "PrismaClientKnownRequestError: ",
            "Invalid `%s` invocation in" % inv,
            "/evolution/dist/main.js:2:%d" % v["col"],
            "",
            "  1 " + self.frame1,
            "→ 2 " + v["frame2"] + "(",
            v["msg"],
            "    at %s.handleRequestError (%s:%d:%d)" % (c, lib, self.prisma_line, self.prisma_cols[0]),
            "    at %s.handleAndLogRequestError (%s:%d:%d)" % (c, lib, self.prisma_line, self.prisma_cols[1]),
            "    at %s.request (%s:%d:%d)" % (c, lib, self.prisma_line, self.prisma_cols[2]),
            "    at async l (%s:%d:%d)" % (lib, self.prisma_line + 9, self.prisma_cols[3]),
            "    at async %s.%s (/evolution/dist/main.js:2:%d) {" % (v["cls"], v["method"], v["col"] + 55),
        ]
        code_l = "  code: '%s'," % v["code"]
        if nested:
            meta_l = "  meta: [Object]"
        else:
            meta_l = "  meta: " + inspect_obj(v["meta"], 2)
        cv_l = "  clientVersion: '%s'" % self.prisma
        if self.new_order:
            lines += [code_l, meta_l + ",", cv_l]
        else:
            lines += [code_l, cv_l + ",", meta_l]
        lines.append("}")
        return "\n".join(lines)

    def prisma_event(self, code, channel):
        """-> (text, stats, info). channel=False: [unhandledRejection] pair; True: one
        instance-tagged ERROR [ChannelStartupService] [object] record."""
        rng = self.rng
        st = dict.fromkeys(STAT_KEYS, 0)
        v = self.prisma_variant(code)
        site = (v["acc"], v["op"], v["method"])      # one call site per build
        if site not in self.sites:
            self.sites[site] = (rng.random() < 0.75, rng.randint(20000, 260000))
        v["inv_ok"], v["col"] = self.sites[site]
        v["cls"] = self.app_cls[sum(map(ord, v["method"])) % len(self.app_cls)]
        inv = ("this.prismaRepository.%s.%s()" % (v["acc"], v["op"])
               if v["inv_ok"] else self.wrong_invocation)
        v["inv"] = inv
        v["frame2"] = ("var %s=class{constructor(e,t,r){this.prismaRepository=e;this.cache=t}async %s(e){"
                       "try{return await %s" % (v["cls"], v["method"], inv[:-2]))
        text = ""
        inst = None
        if channel:
            inst = rng.choice(self.instances)
            text += self.rec_object("ERROR", inst, "ChannelStartupService",
                                    self.prisma_error(v, False), st)
            kind = "channel_startup_record"
            code_lines = 1
            records = 1
        else:
            if (code == "P2002" and v["method"] == "setProxy"
                    and vtuple(self.version) >= (2, 3, 2) and rng.random() < 0.7):
                st["testproxy_success_lines"] += 1
                text += self.rec_string("INFO", None, "ProxyController",
                                        "testProxy: proxy connection successful", st)
            nested = indent_block(self.prisma_error(v, True), 4, "    <rejected> ")
            first = "{\n  origin: Promise {\n" + nested + "\n  },\n  stderr: 2\n}"
            text += self.rec_object("ERROR", None, "unhandledRejection", first, st)
            text += self.rec_object("ERROR", None, "unhandledRejection", self.prisma_error(v, False), st)
            kind = "unhandledRejection_pair"
            code_lines = 2
            records = 2
        info = dict(code=code, model=v["model"], method=v["method"], kind=kind,
                    client=self.prisma, order=self.order_name, code_lines=code_lines,
                    records=records, instance=inst,
                    target=json.dumps(v["meta"].get("target", v["meta"].get("field_name",
                                                                             v["meta"].get("constraint")))))
        return text, st, info


# --------------------------------------------------------------------------------------------

def compile_entry(text):
    """str with holes -> (kind, pieces, fixed_len, n_lines). kind 0: date holes, 1: pino ms
    hole, 2: literal bytes."""
    b = text.encode("utf-8")
    if MS_HOLE.encode() in b:
        pieces = tuple(b.split(MS_HOLE.encode()))
        return 1, pieces, sum(map(len, pieces)) + (len(pieces) - 1) * MS_LEN, b.count(b"\n")
    pieces = tuple(b.split(DATE_HOLE.encode()))
    if len(pieces) == 1:
        return 2, b, len(b), b.count(b"\n")
    return 0, pieces, sum(map(len, pieces)) + (len(pieces) - 1) * DATE_LEN, b.count(b"\n")


NORMAL_MIX = [                 # fractions of pool entries (each entry = 1 record, except pairs)
    ("inst_string", 0.5760),
    ("inst_object", 0.0022),
    ("noinst_string", 0.3695),
    ("query_took", 0.0100),
    ("noinst_object", 0.0013),
    ("pino", 0.0310),
    ("console", 0.0100),
]
POOL_SIZE = 12288
CODE_MIX = [("P2002", 45), ("P2025", 25), ("P2003", 15), ("P2024", 10), ("P2000", 5)]
DEFAULT_EVENT_EVERY = 2000
DENSE_EVENT_EVERY = 20


def build_pool(run):
    rng = run.rng
    cats = []
    for cat, frac in NORMAL_MIX:
        cats += [cat] * int(round(frac * POOL_SIZE))
    rng.shuffle(cats)
    kinds, pieces, lens, nlines, stats = [], [], [], [], []
    for cat in cats:
        text, st = run.normal_entry(cat)
        k, p, ln, nl = compile_entry(text)
        kinds.append(k)
        pieces.append(p)
        lens.append(ln)
        nlines.append(nl)
        stats.append(tuple(st[key] for key in STAT_KEYS))
    return kinds, pieces, lens, nlines, stats


def build_events(run, dense, n):
    rng = run.rng
    codes = [c for c, _ in CODE_MIX]
    weights = [w for _, w in CODE_MIX]
    evs = []
    for _ in range(n):
        code = rng.choices(codes, weights)[0]
        channel = dense and rng.random() < 0.5
        text, st, info = run.prisma_event(code, channel)
        k, p, ln, nl = compile_entry(text)
        evs.append((k, p, ln, nl, tuple(st[key] for key in STAT_KEYS), info))
    return evs


class JournalWriter:
    """Turns plain log bytes into `journalctl -o json` lines (one entry per line)."""
    TEMPLATE = ('{"__CURSOR":"s=%s;i=%x;b=%s;m=%x;t=%x;x=%016x","__REALTIME_TIMESTAMP":"%d",'
                '"__MONOTONIC_TIMESTAMP":"%d","_BOOT_ID":"%s","__SEQNUM":"%d","__SEQNUM_ID":"%s",'
                '"PRIORITY":"6","SYSLOG_FACILITY":"3","SYSLOG_IDENTIFIER":"node","_PID":"%d",'
                '"_COMM":"node","_TRANSPORT":"stdout","_STREAM_ID":"%s",'
                '"_SYSTEMD_UNIT":"evolution-api.service","_HOSTNAME":"evo1","MESSAGE":%s}\n')

    def __init__(self, seed):
        rng = Random(seed ^ 0x6A6F75726E616C)       # own stream: same records as plain
        self.seqnum_id = "%032x" % rng.getrandbits(128)
        self.boot_id = "%032x" % rng.getrandbits(128)
        self.seq = 0x2f1a4
        self.boot_us = (START_EPOCH - 86400 * 3) * 1000000
        self.rt = 0
        self.pid = 0
        self.stream = ""
        self.rng = rng

    def new_run(self, pid):
        self.pid = pid
        self.stream = "%032x" % self.rng.getrandbits(128)

    def convert(self, data, epoch):
        lines = data.split(b"\n")
        lines.pop()                                     # data always ends with "\n"
        out = []
        rt = max(self.rt + 7, epoch * 1000000 + 1000)
        tmpl = self.TEMPLATE
        for ln in lines:
            if b"\x1b" in ln:
                msg = "[" + str(list(ln))[1:-1].replace(" ", "") + "]"
            else:
                try:
                    msg = json.dumps(ln.decode("utf-8"), ensure_ascii=False)
                except UnicodeDecodeError:
                    msg = "[" + str(list(ln))[1:-1].replace(" ", "") + "]"
            self.seq += 1
            rt += 23
            mono = rt - self.boot_us
            out.append(tmpl % (self.seqnum_id, self.seq, self.boot_id, mono, rt,
                               (self.seq * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF, rt, mono,
                               self.boot_id, self.seq, self.seqnum_id, self.pid, self.stream, msg))
        self.rt = rt
        return "".join(out).encode("utf-8")


def parse_size(s):
    m = re.match(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(i?[bB])?\s*$", s)
    if not m:
        raise argparse.ArgumentTypeError("bad size %r (e.g. 1G, 256M, 20MB, 1000000)" % s)
    num, unit, suffix = float(m.group(1)), m.group(2).upper(), m.group(3)
    power = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}[unit]
    base = 1000 if (suffix and suffix.lower() == "b" and unit) else 1024
    return int(num * base ** power)


def generate(args):
    t0 = time.time()
    rng = Random(args.seed)
    target = args.size
    dense = args.dense
    journal = args.format == "journal-json"
    instances = make_instances(rng)

    # container runs: ~8 segments of ±25 % of size/8
    nrun = len(RUNS)
    bounds = []
    acc = 0.0
    for i in range(nrun):
        acc += target / nrun * (0.75 + 0.5 * rng.random())
        bounds.append(acc)
    bounds = [int(b * target / acc) for b in bounds]
    bounds[-1] = target

    if args.out == "-":
        out = sys.stdout.buffer
    else:
        out = open(args.out, "wb", buffering=0)
    jw = JournalWriter(args.seed) if journal else None

    total = 0          # bytes written (output format)
    lines = 0
    stat_tot = [0] * len(STAT_KEYS)
    ev_by = {}
    events = []        # compact per-event info for the truth
    buf = []
    CHUNK = 8 << 20
    next_flush = CHUNK
    sec = START_EPOCH
    evt_every = DENSE_EVENT_EVERY if dense else DEFAULT_EVENT_EVERY
    gap = evt_every if dense else rng.randint(1, 2 * evt_every - 1)
    run_info = []
    written = 0

    def add_stats(st, mult=1):
        for j, x in enumerate(st):
            if x:
                stat_tot[j] += x * mult

    for ri, (ver, pv) in enumerate(RUNS):
        seg_end = bounds[ri]
        if total >= target:
            break
        run = Run(rng, ri, ver, pv, instances, dense)
        kinds, pieces, lens, nlines, stats = build_pool(run)
        evpool = build_events(run, dense, 1024 if dense else 256)
        cnt = [0] * len(kinds)
        npool = len(kinds)
        run_info.append(dict(version=ver, prisma=pv, pid=run.pid, hostname=run.host,
                             trailer_order=run.order_name, start_byte=total))
        if jw:
            jw.new_run(run.pid)

        def emit_block(text_st):
            nonlocal total, lines
            text, st = text_st
            b = text.replace(DATE_HOLE, js_date(sec)).encode("utf-8")
            if jw:
                b = jw.convert(b, sec)
            buf.append(b)
            total += len(b)
            lines += text.count("\n")
            add_stats(tuple(st[k] for k in STAT_KEYS))

        if ri > 0:
            emit_block(prev_run.shutdown_block())
            sec += rng.randint(5, 40)
        emit_block(run.startup_block())

        date = js_date(sec).encode()
        left = rng.randint(1, 40)
        ms = b"%d" % (sec * 1000 + rng.randrange(1000))
        choices = rng.choices
        prange = range(npool)
        mark = min(next_flush, seg_end)
        done = total >= seg_end
        while not done:
            for i in choices(prange, k=4096):
                if left == 0:
                    sec += 1 if rng.random() < 0.97 else rng.randint(2, 300)
                    date = js_date(sec).encode()
                    ms = b"%d" % (sec * 1000 + rng.randrange(1000))
                    left = rng.randint(1, 40)
                left -= 1
                gap -= 1
                if gap == 0:
                    gap = evt_every if dense else rng.randint(1, 2 * evt_every - 1)
                    ek, ep, eln, enl, est, info = evpool[rng.randrange(len(evpool))]
                    b = date.join(ep)
                    if jw:
                        b = jw.convert(b, sec)
                        eln = len(b)
                    buf.append(b)
                    total += eln
                    lines += enl
                    add_stats(est)
                    key = info["code"]
                    ev_by.setdefault(key, 0)
                    ev_by[key] += 1
                    events.append(info)
                    continue          # the event takes this record slot
                k = kinds[i]
                if k == 0:
                    b = date.join(pieces[i])
                elif k == 1:
                    b = ms.join(pieces[i])
                else:
                    b = pieces[i]
                if jw:
                    b = jw.convert(b, sec)
                    total += len(b)
                else:
                    total += lens[i]
                buf.append(b)
                cnt[i] += 1
                if total >= mark:
                    if total >= next_flush:
                        data = b"".join(buf)
                        out.write(data)
                        written += len(data)
                        buf.clear()
                        next_flush = total + CHUNK
                    if total >= seg_end:
                        done = True
                        break
                    mark = min(next_flush, seg_end)
        for i, c in enumerate(cnt):
            if c:
                lines += nlines[i] * c
                add_stats(stats[i], c)
        run_info[-1]["end_byte"] = total
        prev_run = run

    data = b"".join(buf)
    out.write(data)
    written += len(data)
    if out is not sys.stdout.buffer:
        out.close()
    assert written == total, (written, total)
    dt = time.time() - t0

    # ---- ground truth ----
    st = dict(zip(STAT_KEYS, stat_tot))
    by_code = {}
    by_code_model = {}
    by_kind = {}
    by_order = {}
    by_client = {}
    by_code_model_target = {}
    code_lines = 0
    code_lines_by_code = {}
    prisma_records = 0
    for e in events:
        by_code[e["code"]] = by_code.get(e["code"], 0) + 1
        k = "%s|%s" % (e["code"], e["model"])
        by_code_model[k] = by_code_model.get(k, 0) + 1
        k = "%s|%s|%s" % (e["code"], e["model"], e["target"])
        by_code_model_target[k] = by_code_model_target.get(k, 0) + 1
        by_kind[e["kind"]] = by_kind.get(e["kind"], 0) + 1
        by_order[e["order"]] = by_order.get(e["order"], 0) + 1
        by_client[e["client"]] = by_client.get(e["client"], 0) + 1
        code_lines += e["code_lines"]
        code_lines_by_code[e["code"]] = code_lines_by_code.get(e["code"], 0) + e["code_lines"]
        prisma_records += e["records"]
    records_total = st["logger_records"] + st["pino_lines"] + st["console_lines"] + st["startup_lines"]
    srt = lambda d: dict(sorted(d.items()))
    truth = {
        "generator": "scripts/gen-log.py",
        "generator_version": GENERATOR_VERSION,
        "python": "%d.%d" % sys.version_info[:2],
        "seed": args.seed,
        "size_requested": target,
        "dense": dense,
        "format": args.format,
        "bytes": total,
        "lines": lines,
        "records": records_total,
        "record_breakdown": st,
        "runs": run_info,
        "prisma": {
            "events": len(events),
            "events_by_code": srt(by_code),
            "events_by_code_model": srt(by_code_model),
            "events_by_code_model_target": srt(by_code_model_target),
            "events_by_kind": srt(by_kind),
            "events_by_trailer_order": srt(by_order),
            "events_by_client_version": srt(by_client),
            "records_in_events": prisma_records,
            "code_lines": code_lines,
            "code_lines_by_code": srt(code_lines_by_code),
            "grep_pattern": "code: 'P\\d{4}'",
        },
        "elapsed_s": round(dt, 3),
    }
    return truth


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring (head -60 scripts/gen-log.py).")
    ap.add_argument("out", nargs="?", default="-", metavar="OUT", help="output path, or - for stdout")
    ap.add_argument("--size", type=parse_size, default=parse_size("64M"),
                    help="target size: 1G/256M (binary), 1GB/20MB (decimal), or bytes (default 64M)")
    ap.add_argument("--dense", action="store_true", help="a Prisma failure in every 20th record slot")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--format", choices=["plain", "journal-json"], default="plain")
    ap.add_argument("--truth", help="ground-truth JSON path (default OUT.truth.json; none for stdout)")
    ap.add_argument("--quiet", action="store_true", help="no ground-truth summary on stderr")
    ap.add_argument("--print-bytes", action="store_true",
                    help="print the --size value in bytes and exit (for scripts)")
    ap.add_argument("--version", action="version", version="gen-log.py " + GENERATOR_VERSION)
    args = ap.parse_args()
    if args.print_bytes:
        print(args.size)
        return

    truth = generate(args)
    tpath = args.truth or (args.out + ".truth.json" if args.out != "-" else None)
    if tpath:
        with open(tpath, "w") as f:
            json.dump(truth, f, indent=2, ensure_ascii=False)
            f.write("\n")
    if not args.quiet:
        p = truth["prisma"]
        w = sys.stderr.write
        w("gen-log: %s  %d bytes (%.1f MB/s, %.2f s)  seed=%d dense=%s format=%s\n" % (
            args.out, truth["bytes"], truth["bytes"] / 1e6 / max(truth["elapsed_s"], 1e-9),
            truth["elapsed_s"], args.seed, args.dense, args.format))
        w("  lines %d  records %d  (logger %d, pino %d, console %d, startup %d)\n" % (
            truth["lines"], truth["records"], truth["record_breakdown"]["logger_records"],
            truth["record_breakdown"]["pino_lines"], truth["record_breakdown"]["console_lines"],
            truth["record_breakdown"]["startup_lines"]))
        w("  Prisma failure events %d: %s\n" % (
            p["events"], ", ".join("%s %d" % kv for kv in p["events_by_code"].items())))
        w("  by kind: %s; trailer order: %s\n" % (
            ", ".join("%s %d" % kv for kv in p["events_by_kind"].items()),
            ", ".join("%s %d" % kv for kv in p["events_by_trailer_order"].items())))
        w("  lines matching %s: %d\n" % (p["grep_pattern"], p["code_lines"]))
        if tpath:
            w("  truth: %s\n" % tpath)


if __name__ == "__main__":
    main()
