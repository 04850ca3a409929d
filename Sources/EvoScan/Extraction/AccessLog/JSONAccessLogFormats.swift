/// Traefik's JSON access log: `StartUTC` + `Duration` (ns), `RequestMethod`, `RequestPath`,
/// `DownstreamStatus` (what the client got), `request_Referer` when headers are logged.
struct TraefikJSONFormat: AccessLogFormat {
    let name = "traefik-json"

    func parse(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> ParsedRequest? {
        var start: Instant? = nil
        var duration: Int64 = 0
        var method: String? = nil, uri: String? = nil, referer: String? = nil, upstream: String? = nil
        var status: Int? = nil
        var text: [UInt8] = []
        var scanner = JSONScanner(line)
        let ok = scanner.forEachMember { key, value in
            func string() -> String? {
                text.removeAll(keepingCapacity: true)
                return value.readString(into: &text) ? String(decoding: text, as: UTF8.self) : nil
            }
            if JSONScanner.equal(key, "StartUTC") {
                if let s = value.readScalarText() { start = Timestamps.parseRFC3339(s)?.0 }
            } else if JSONScanner.equal(key, "Duration") {
                if let s = value.readScalarText() { duration = Int64(Bytes.parseInt(s, 0..<s.count) ?? 0) }
            } else if JSONScanner.equal(key, "RequestMethod") {
                method = string()
            } else if JSONScanner.equal(key, "RequestPath") {
                uri = string()
            } else if JSONScanner.equal(key, "DownstreamStatus") {
                if let s = value.readScalarText() { status = Bytes.parseInt(s, 0..<s.count) }
            } else if JSONScanner.equal(key, "request_Referer") {
                referer = string()
            } else if JSONScanner.equal(key, "ServiceURL") {
                upstream = string()
            } else {
                return value.skipValue()
            }
            return true
        }
        guard ok, let start, let method, let uri, let status else { return nil }
        return ParsedRequest(end: Instant(micros: start.micros + duration / 1000), method: method, uri: uri, status: status,
                             referer: referer, upstream: upstream)
    }
}

/// Caddy's JSON access log (`http.log.access`): `ts` (epoch seconds, the request end),
/// `request.{method,uri,headers}`, `status`. Caddy logs Evolution's `apikey` header in
/// clear: it never leaves this parser unredacted.
struct CaddyJSONFormat: AccessLogFormat {
    let name = "caddy-json"

    func parse(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> ParsedRequest? {
        var end: Instant? = nil
        var status: Int? = nil
        var method: String? = nil, uri: String? = nil, referer: String? = nil
        var isAccess = false
        var text: [UInt8] = []
        var scanner = JSONScanner(line)
        let ok = scanner.forEachMember { key, value in
            if JSONScanner.equal(key, "ts") {
                if value.peek == 0x22 {
                    if let s = value.readScalarText() { end = Timestamps.parseRFC3339(s)?.0 }
                } else if let s = value.readScalarText() {
                    end = AccessLogTime.parseEpochSeconds(s)
                }
                return true
            }
            if JSONScanner.equal(key, "status") {
                if let s = value.readScalarText() { status = Bytes.parseInt(s, 0..<s.count) }
                return true
            }
            if JSONScanner.equal(key, "logger") {
                text.removeAll(keepingCapacity: true)
                guard value.readString(into: &text) else { return false }
                isAccess = text.starts(with: Array("http.log.access".utf8))
                return true
            }
            if JSONScanner.equal(key, "request"), let raw = value.readRawValue() {
                var inner = JSONScanner(raw)
                return inner.forEachMember { k, v in
                    func string() -> String? {
                        text.removeAll(keepingCapacity: true)
                        return v.readString(into: &text) ? String(decoding: text, as: UTF8.self) : nil
                    }
                    if JSONScanner.equal(k, "method") { method = string(); return true }
                    if JSONScanner.equal(k, "uri") { uri = string(); return true }
                    if JSONScanner.equal(k, "headers"), let headers = v.readRawValue() {
                        var h = JSONScanner(headers)
                        return h.forEachMember { hk, hv in
                            if JSONScanner.equal(hk, "Referer"), hv.peek == UInt8(ascii: "[") {
                                hv.i += 1
                                hv.skipSpace()
                                text.removeAll(keepingCapacity: true)
                                if hv.readString(into: &text) { referer = String(decoding: text, as: UTF8.self) }
                                hv.skipSpace()
                                while hv.peek == UInt8(ascii: ",") { hv.i += 1; hv.skipSpace(); guard hv.skipValue() else { return false }; hv.skipSpace() }
                                if hv.peek == UInt8(ascii: "]") { hv.i += 1; return true }
                                return false
                            }
                            return hv.skipValue()
                        }
                    }
                    return v.skipValue()
                }
            }
            return value.skipValue()
        }
        guard ok, isAccess || method != nil, let end, let method, let uri, let status else { return nil }
        return ParsedRequest(end: end, method: method, uri: uri, status: status, referer: referer, upstream: nil)
    }
}
