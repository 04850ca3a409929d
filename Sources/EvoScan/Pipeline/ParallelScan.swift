import Foundation

/// Many inputs on several cores: each worker scans whole files with a session of its own
/// (its own PCRE2 scratch, extractor and correlator; the compiled patterns are shared and
/// immutable), and the results are folded into this session in input order with the same
/// merge that `evoscan merge` uses, so the report equals a serial run. Evidence crosses
/// files only through the `--access-log` requests, which every worker shares.
extension ScanSession {
    public func scanInParallel(paths: [String], jobs: Int) {
        let count = paths.count
        guard jobs > 1, count > 1 else {
            scan(paths: paths)
            return
        }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var reports: [ScanReport?]
            var errors: [[InputError]]
            var warnings: [[InputError]]
            init(_ n: Int) {
                reports = Array(repeating: nil, count: n)
                errors = Array(repeating: [], count: n)
                warnings = Array(repeating: [], count: n)
            }
            func take() -> Int? {
                lock.lock(); defer { lock.unlock() }
                guard next < reports.count else { return nil }
                next += 1
                return next - 1
            }
        }
        let results = Results(count)
        let options = self.options
        nonisolated(unsafe) let main = self
        // Complete and sorted here, once: the workers only read it.
        awaitAccessLogs()
        correlator.prepareForSharing()
        nonisolated(unsafe) let shared = self.correlator
        DispatchQueue.concurrentPerform(iterations: min(jobs, count)) { _ in
            while let i = results.take() {
                let worker = ScanSession(options: options)
                worker.progress = main.progress
                worker.correlator.shareEvidence(from: shared)
                var errors: [InputError] = []
                var warnings: [InputError] = []
                worker.onInputError = { errors.append($0) }
                worker.onInputWarning = { warnings.append($0) }
                worker.scan(path: paths[i])
                let report = worker.report(tool: "")
                results.lock.lock()
                results.reports[i] = report
                results.errors[i] = errors
                results.warnings[i] = warnings
                results.lock.unlock()
            }
        }
        for i in 0..<count {
            results.errors[i].forEach { main.onInputError?($0) }
            results.warnings[i].forEach { main.onInputWarning?($0) }
            if let r = results.reports[i] { main.absorb(r) }
        }
    }
}
