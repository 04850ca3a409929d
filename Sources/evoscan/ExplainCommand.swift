import ArgumentParser
import Foundation
import EvoScan

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "What a Prisma error code means, what it carries, where Evolution API hits it, and what to do.",
        discussion: UsageExamples.explain
    )

    @Argument(help: ArgumentHelp("A Prisma error code, e.g. P2002.", valueName: "CODE"))
    var code: String

    @OptionGroup(title: "Config file")
    var configFile: ConfigOptions

    func validate() throws {
        guard PrismaCodeCatalog.entry(code.uppercased()) != nil else {
            throw ValidationError("unknown Prisma code '\(code)' (the catalog has P1000–P6010)")
        }
    }

    func run() throws {
        let knowledge = try configFile.knowledge()
        let c = code.uppercased()
        let entry = PrismaCodeCatalog.entry(c)!
        var out = "\(entry.code) — \(entry.title) (\(entry.category))\n\n"
        out += "Message:\n" + entry.template.split(separator: "|").map { "  " + $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.count > 2 }.joined(separator: "\n").replacingOccurrences(of: "\\n", with: " ") + "\n\n"
        out += "meta: \(entry.metaKeys.isEmpty ? "(none)" : entry.metaKeys)\n"
        if let note = EvolutionCodeNotes.notes[c] { out += "\nIn Evolution API:\n  \(note)\n" }
        let rows = knowledge.writeMap.rows.filter { _ in c == "P2002" || c == "P2000" || c == "P2003" || c == "P2024" || c == "P1001" }
        if !rows.isEmpty {
            out += "\nWrites that answer before they finish (a failure there is a silent failure):\n"
            for row in rows {
                out += "  \(row.endpoint)  →  \(row.model) (\(row.method), index \(row.index)), silent \(row.versions.prose)\n"
            }
        }
        var hints: [String] = []
        // The schema's models and any a config names; each version range's edges.
        let models = Set(EvolutionSchema.models).union(knowledge.remediation.rows.compactMap(\.model)).sorted()
        let bounds = knowledge.remediation.rows.flatMap { [$0.versions.from, $0.versions.until] }.compactMap { $0 }
        let versions = [EvolutionVersion("2.0.4")!, EvolutionVersion("2.2.3")!] + bounds
        for model in [nil] + models.map(Optional.some) {
            for v in versions {
                if let h = knowledge.remediation.hint(code: c, model: model, version: v), !hints.contains(h) { hints.append(h) }
            }
        }
        if !hints.isEmpty { out += "\nWhat to do:\n" + hints.map { "  - \($0)" }.joined(separator: "\n") + "\n" }
        print(out, terminator: "")
    }
}
