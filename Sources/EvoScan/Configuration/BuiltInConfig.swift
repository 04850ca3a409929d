/// evoscan's own knowledge, in the config file's format: `Knowledge.builtIn` is read from
/// this text, and `evoscan config --print-defaults` prints it, so the defaults document
/// themselves and a user's file extends them in the same words.
public enum BuiltInConfig {
    public static let text = #"""
# evoscan configuration: the built-in defaults (`evoscan config --print-defaults`).
#
# A file of your own (--config FILE, else $XDG_CONFIG_HOME/evoscan/config.toml, else
# ~/.config/evoscan/config.toml) is read on top of these. It needs only what it changes:
# its rows come first, and a row with the same key as a built-in one replaces it.
# Unknown keys are errors.

# Defaults for options not given on the command line.
[defaults]
# log-tz = "America/Sao_Paulo"  # zone of Evolution's header times (IANA name or ±HH:MM);
#                               # unset: inferred from UTC transport timestamps, else
#                               # America/Sao_Paulo (the official image's TZ)
window = 2                      # --window: seconds between a request's end and its failure
format = "table"                # --format of `scan` (`merge`/`report` take it when they can)

# Endpoints that answer 2xx before their database write has finished: a Prisma failure
# of that write is a silent failure. Key: endpoint + model.
#   endpoint  METHOD /path, with {instance} as the last segment when the path names one
#   model     the Prisma model written
#   index     its unique index (default: <model>_instanceId_key)
#   method    Evolution's method that writes it (default: set<model>)
#   versions  where the endpoint is silent: "all" (default), "<2.1.0", ">=2.3.2",
#             ">=2.1.0 <2.3.0", or "none" to switch a built-in row off
[[silent-endpoint]]
endpoint = "POST /proxy/set/{instance}"
model = "Proxy"

[[silent-endpoint]]
endpoint = "POST /instance/create"
model = "Proxy"

[[silent-endpoint]]
endpoint = "POST /instance/create"
model = "Chatwoot"

[[silent-endpoint]]
endpoint = "POST /webhook/set/{instance}"
model = "Webhook"
versions = "<2.1.0"

[[silent-endpoint]]
endpoint = "POST /websocket/set/{instance}"
model = "Websocket"
versions = "<2.1.0"

[[silent-endpoint]]
endpoint = "POST /rabbitmq/set/{instance}"
model = "Rabbitmq"
versions = "<2.1.0"

[[silent-endpoint]]
endpoint = "POST /sqs/set/{instance}"
model = "Sqs"
versions = "<2.1.0"

[[silent-endpoint]]
endpoint = "POST /instance/create"
model = "Webhook"
versions = "<2.1.0"

[[silent-endpoint]]
endpoint = "POST /instance/create"
model = "Websocket"
versions = "<2.1.0"

[[silent-endpoint]]
endpoint = "POST /instance/create"
model = "Rabbitmq"
versions = "<2.1.0"

[[silent-endpoint]]
endpoint = "POST /instance/create"
model = "Sqs"
versions = "<2.1.0"

# What to do about a failure. The first row that matches wins, so specific rows come
# before general ones. Key: code + model + versions.
#   code      Prisma code (P2002); unset: failures without a code (validation errors)
#   model     Prisma model; unset: any
#   versions  as above (default "all"); with an unknown Evolution version the hints of
#             each range are given in turn
#   hint      the advice
[[remediation]]
code = "P2002"
model = "Proxy"
versions = "<2.1.0"
hint = "create-only setProxy in 2.0.x: every re-save of a proxy fails. Upgrade to >= 2.1.0; meanwhile delete the instance's Proxy row before saving."

[[remediation]]
code = "P2002"
model = "Websocket"
versions = "<2.1.0"
hint = "create-only setWebsocket in 2.0.x: every re-save fails. Upgrade to >= 2.1.0."

[[remediation]]
code = "P2002"
model = "Webhook"
versions = "<2.1.0"
hint = "find-then-create race in 2.0.x (double submit): save once more; upgrade to >= 2.1.0."

[[remediation]]
code = "P2002"
model = "Rabbitmq"
versions = "<2.1.0"
hint = "find-then-create race in 2.0.x (double submit): save once more; upgrade to >= 2.1.0."

[[remediation]]
code = "P2002"
model = "Sqs"
versions = "<2.1.0"
hint = "find-then-create race in 2.0.x (double submit): save once more; upgrade to >= 2.1.0."

[[remediation]]
code = "P2002"
model = "Proxy"
versions = ">=2.1.0"
hint = "concurrent saves of the same instance's proxy: save once more and check it with GET /proxy/find/{instance}."

[[remediation]]
code = "P2000"
model = "Proxy"
hint = "a proxy field (host, port, protocol, username, password) is longer than 100 characters (VARCHAR(100)); shorten it and save again."

[[remediation]]
code = "P2000"
model = "Chatwoot"
hint = "a Chatwoot field is over its column limit (token/accountId 100, url 500)."

[[remediation]]
code = "P2003"
hint = "the Instance row was never saved (see the [WAMonitoringService] error); recreate the instance."

[[remediation]]
model = "Proxy"
hint = "send username and password (empty strings are fine) when the proxy is enabled."

[[remediation]]
code = "P1001"
hint = "the database was unreachable when the write ran: the write is lost; save again once the database is back."

[[remediation]]
code = "P2024"
hint = "the connection pool was exhausted (pool_timeout): the write is lost; save again, and raise connection_limit."

[[remediation]]
code = "P2010"
hint = "a raw query failed (PostgreSQL 42P10: no unique index for ON CONFLICT on Chat); background label sync, no client was told success."

# Secrets masked in everything evoscan prints or writes. A config's rules are added to
# these (a built-in rule cannot be switched off). Key: name.
#   name     what the rule is called in messages
#   pattern  a PCRE2 pattern, read as bytes; (?i) makes it caseless. The group named
#            `secret` is masked, or the whole match when there is none
#   needles  words, one of which must occur (in any case) for the pattern to be tried:
#            a cheap test that keeps the pattern off text it cannot match; [] tries it
#            on everything
[[redaction]]
name = "url-credentials"
pattern = '''(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@'"`]+:)(?<secret>[^\s@/'"`]+)@'''
needles = ["://"]

[[redaction]]
name = "quoted-secret"
pattern = '''(?i)((?:api[_-]?key|password|passwd|secret|token)["']?\s*[:=]\s*\[?\s*)(["'])(?<secret>(?:(?!\2)[^\n\\]|\\.)*)\2'''
needles = ["apikey", "api_key", "api-key", "pass", "secret", "token"]

[[redaction]]
name = "bare-secret"
pattern = '''(?i)((?:api[_-]?key|password|passwd|secret|token)\s*[:=]\s*)(?<secret>[^\s"'`,;&}\]\[][^\s"'`,;&}\]]*)'''
needles = ["apikey", "api_key", "api-key", "pass", "secret", "token"]

[[redaction]]
name = "bearer"
pattern = '''(?i)\b(Bearer\s+)(?<secret>[A-Za-z0-9._~+/=-]{8,})'''
needles = ["bearer"]

# Access-log formats besides the built-in ones (combined/common, traefik-clf,
# nginx-proxy-manager, traefik-json, caddy-json), which are parsers rather than rows.
# A config's formats are tried before them. Key: name.
#   name     the format's name in reports
#   pattern  a PCRE2 pattern for one line, with the named groups `ts` (the time),
#            `method`, `uri` and `status`; `referer`, `upstream` and `ms` (the duration,
#            in milliseconds) when the line has them
#   time     how `ts` is written: "clf" (10/Jun/2025:17:07:31 +0000, the default),
#            "rfc3339" (2025-06-10T17:07:31.412Z) or "epoch" (1749575251.412)
#   stamp    whether `ts` is the request's "end" (the default) or its "start" (then
#            `ms` is added when present)
#
# [[access-log-format]]
# name = "nginx-upstream"    # log_format '$remote_addr [$time_local] "$request" $status $upstream_addr'
# pattern = '^\S+ \[(?<ts>[^\]]+)\] "(?<method>[A-Z]+) (?<uri>\S+) [^"]*" (?<status>\d{3}) (?<upstream>\S+)$'
"""#
}
