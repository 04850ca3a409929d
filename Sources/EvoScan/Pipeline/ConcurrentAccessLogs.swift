import Foundation

/// `--access-log` files read on a second core while the main inputs are scanned.
///
/// The correlation needs every request before it decides a failure, so the serial order
/// is "access logs first, then the logs". Decisions are the only thing that needs them:
/// here a worker session parses the access logs while this session scans, failures wait
/// in the correlator (bounded, see `SilentFailureCorrelator.heldForEvidenceLimit`), and the
/// first decision joins the worker and takes its requests, counters and inputs. The
/// report equals the serial one; the access logs' time overlaps the scan's instead of
/// adding to it (1 GiB log + 200 MB nginx log: 1.41x the scan alone before, 1.32x now,
/// with the log itself read in chunks on both cores).
extension ScanSession {
    public func scanAccessLogsConcurrently(paths: [String]) {
        guard !paths.isEmpty else { return }
        final class Worker: @unchecked Sendable {
            let session: ScanSession
            var errors: [InputError] = []
            let done = DispatchSemaphore(value: 0)
            init(_ session: ScanSession) { self.session = session }
        }
        let worker = Worker(ScanSession(options: options))
        worker.session.onInputError = { worker.errors.append($0) }
        let thread = Thread {
            for path in paths { worker.session.scanAccessLog(path: path) }
            worker.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        nonisolated(unsafe) let main = self
        correlator.awaitFileEvidence = {
            worker.done.wait()
            main.takeAccessLogs(from: worker.session, errors: worker.errors)
        }
    }

    /// Joins the access-log worker now (before workers of a parallel scan share the
    /// requests). Nothing to do when none runs.
    func awaitAccessLogs() {
        if let wait = correlator.awaitFileEvidence {
            correlator.awaitFileEvidence = nil
            wait()
        }
    }
}
