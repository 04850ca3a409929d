#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the paths a user gave into the files to read: a directory stands for every file
/// below it (recursively, rotated `*.gz` siblings included; hidden files skipped), and a
/// quoted glob (`'/var/log/evolution/*.log*'`) is expanded here as a shell would. Order is
/// stable: sorted within each argument.
public enum InputExpander {
    public static func expand(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for arg in arguments {
            if arg == "-" { out.append(arg); continue }
            if isDirectory(arg) {
                // An empty directory stays, so that opening it reports the problem.
                let found = files(under: arg)
                out += found.isEmpty ? [arg] : found
            } else if arg.contains(where: { "*?[".contains($0) }) && access(arg, F_OK) != 0 {
                let matches = glob(arg)
                // No match: keep the argument so that the error names it.
                out += matches.isEmpty ? [arg] : matches.flatMap { isDirectory($0) ? files(under: $0) : [$0] }
            } else {
                out.append(arg)
            }
        }
        return out
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func files(under dir: String) -> [String] {
        guard let d = opendir(dir) else { return [dir] }  // unreadable: reported when opened
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        var out: [String] = []
        for name in names.sorted() {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            if isDirectory(path) { out += files(under: path) } else { out.append(path) }
        }
        return out
    }

    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}
