import Foundation

/// The progress line on stderr for long scans at a terminal: bytes, MB/s, time left.
/// Never in pipes or CI (the caller decides), only after the first second, and erased
/// when the scan ends, so that the report on stdout stays clean.
public final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var done: Int64 = 0
    private let total: Int64
    private let start = Date()
    private var finished = false
    private var shown = false
    private var thread: Thread?

    /// `total`: the inputs' size on disk (compressed files count as they are stored).
    public init(totalBytes: Int64) {
        total = totalBytes
    }

    /// Bytes read from disk since the last call.
    public func add(_ bytes: Int) {
        lock.lock()
        done += Int64(bytes)
        lock.unlock()
    }

    public func begin() {
        let t = Thread { [weak self] in
            while let self, !self.isFinished {
                Thread.sleep(forTimeInterval: 0.25)
                self.draw()
            }
        }
        thread = t
        t.start()
    }

    private var isFinished: Bool {
        lock.lock(); defer { lock.unlock() }
        return finished
    }

    private func draw() {
        lock.lock()
        let (d, ended) = (done, finished)
        lock.unlock()
        let elapsed = Date().timeIntervalSince(start)
        guard !ended, elapsed >= 1 else { return }
        let rate = Double(d) / elapsed
        var text = "evoscan: \(Self.size(d))"
        if total > 0 { text += " of \(Self.size(total)) (\(min(100, Int(Double(d) * 100 / Double(total))))%)" }
        text += ", \(Self.size(Int64(rate)))/s"
        if total > d, rate > 0 { text += ", \(Int((Double(total - d) / rate).rounded(.up))) s left" }
        write("\r\u{1B}[K" + text)
        lock.lock(); shown = true; lock.unlock()
    }

    /// Stops and erases the line.
    public func end() {
        lock.lock()
        finished = true
        let wasShown = shown
        lock.unlock()
        if wasShown { write("\r\u{1B}[K") }
    }

    private func write(_ s: String) {
        var s = s
        s.withUTF8 { _ = Foundation.write(2, $0.baseAddress, $0.count) }
    }

    static func size(_ bytes: Int64) -> String {
        let b = Double(bytes)
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        if b >= 1e6 { return String(format: "%.0f MB", b / 1e6) }
        return String(format: "%.0f kB", b / 1e3)
    }
}
