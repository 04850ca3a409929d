import EvoScanFuzzTargets
import Foundation

/// The target `EVOSCAN_FUZZ_TARGET` names. A static, not a global of main.swift: those are
/// set by top-level code, which never runs under libFuzzer's own `main`.
enum Selected {
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["EVOSCAN_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("EVOSCAN_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Selected.target.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
