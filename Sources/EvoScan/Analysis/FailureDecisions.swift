/// The part of a failure's outcome that needs no evidence, and what the correlator works
/// out once per distinct facts. Background work, and the errors Evolution itself answered
/// with, are decided by their context alone: the correlator asks here first, and a chunk
/// worker (`ChunkDecider`) decides them where they are read.
final class FailureDecisions {
    /// The silent endpoints of a failure and what is said about them: the same for every
    /// failure with the same version and facts, and filtering the write map and remediation
    /// rows for each one cost 7 k instructions on a dense log.
    struct SilentPlan {
        let endpoints: [String]
        let versionNote: String?
        let remediation: String
        let missingAccessLog: String
        let reasonWithoutAccessLog: String
    }

    private struct PlanKey: Hashable {
        let version: String?, code: String?, model: String?, method: String?, constraint: String?

        /// Code and model only (a few bytes): hashing all five strings was 2 k
        /// instructions per failure; keys that share them are told apart by `==`.
        func hash(into hasher: inout Hasher) {
            hasher.combine(code)
            hasher.combine(model)
        }
    }

    private let knowledge: Knowledge
    private var plans: [PlanKey: SilentPlan?] = [:]
    private var backgroundReasons: [String: String] = [:]
    private var lastBackground: (context: String, reason: String)?
    /// Distinct keys remembered; past it the table starts again (a log has a few dozen).
    static let maxRemembered = 4096

    init(knowledge: Knowledge) { self.knowledge = knowledge }

    /// The outcome and its reason when no evidence can change it; nil for a failure on a
    /// silent path (with a time) and for `saveInstance` (`WAMonitoringService`), which
    /// the correlator decides from what surrounds them.
    func decideAlone(_ e: FailureEvent) -> (FailureOutcome, String)? {
        let context = e.context ?? ""
        switch context {
        case "SERVER":
            return (.surfaced, "Evolution's [SERVER] error event: the client got HTTP \(e.httpStatus.map(String.init) ?? "an error")")
        case "InstanceController":
            return (.surfaced, "[InstanceController] error: /instance/create answered 400")
        case _ where SilentFailureCorrelator.isBotContext(context):
            return (.surfaced, "[\(context)] error: the chatbot endpoint answered 500")
        case "WAMonitoringService":
            return nil
        case "unhandledRejection", "uncaughtException":
            guard e.time != nil, silentPlan(e) != nil else {
                return (.background, "not a write that answers before it finishes (write map)")
            }
            return nil
        default:
            return (.background, backgroundReason(e.context))
        }
    }

    /// nil: no write of these facts answers before it finishes (write map).
    func silentPlan(_ e: FailureEvent) -> SilentPlan? {
        // Facts read from the facts cache share one box: the plans of the last few boxes
        // are found by identity, without hashing and comparing five strings.
        for i in recent.indices where recent[i].facts.sharesStorage(with: e.facts) && recent[i].version == e.appVersion {
            return recent[i].plan
        }
        let key = PlanKey(version: e.appVersion, code: e.facts.code, model: e.facts.model, method: e.facts.method, constraint: e.facts.constraint)
        let plan: SilentPlan?
        if let known = plans[key] {
            plan = known
        } else {
            if plans.count >= Self.maxRemembered { plans.removeAll() }
            plan = Self.silentPlan(facts: e.facts, version: e.appVersion.flatMap(EvolutionVersion.init), knowledge: knowledge)
            plans[key] = plan
        }
        if recent.count < Self.recentCount { recent.append((e.facts, e.appVersion, plan)) } else { recent[nextRecent] = (e.facts, e.appVersion, plan) }
        nextRecent = (nextRecent + 1) % Self.recentCount
        return plan
    }

    private var recent: [(facts: PrismaFacts, version: String?, plan: SilentPlan?)] = []
    private var nextRecent = 0
    static let recentCount = 16

    static func silentPlan(facts: PrismaFacts, version: EvolutionVersion?, knowledge: Knowledge) -> SilentPlan? {
        let rows = knowledge.writeMap.silentRows(for: facts, version: version)
        guard !rows.isEmpty else { return nil }
        var endpoints: [String] = []
        for row in rows where !endpoints.contains(row.endpoint) { endpoints.append(row.endpoint) }
        let versionNote = version == nil ? "Evolution version unknown (no-colour layout prints none): the silent endpoints of every version were considered" : nil
        let missing = ["no access log: give the reverse proxy's log with --access-log (or interleave it) to confirm the 2xx and name the instance", versionNote].compactMap { $0 }.joined(separator: "; ")
        return SilentPlan(endpoints: endpoints, versionNote: versionNote,
                          remediation: knowledge.remediation.hint(code: facts.code, model: facts.model, version: version) ?? RemediationCatalog.silentNote,
                          missingAccessLog: missing, reasonWithoutAccessLog: "on a silent path (\(endpoints.joined(separator: ", "))); " + missing)
    }

    private func backgroundReason(_ context: String?) -> String {
        guard let context else { return "no Evolution header: not tied to a request" }
        // The last one first: runs of one context are common, and `==` on the same
        // string (from the header cache) is one comparison, not a hash.
        if let last = lastBackground, last.context == context { return last.reason }
        if let known = backgroundReasons[context] {
            lastBackground = (context, known)
            return known
        }
        if backgroundReasons.count >= Self.maxRemembered { backgroundReasons.removeAll() }
        let reason = "[\(context)] works without a request"
        backgroundReasons[context] = reason
        return reason
    }
}
