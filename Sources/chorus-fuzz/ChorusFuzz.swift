import ChorusFuzzTargets
import Foundation

#if CHORUS_LIBFUZZER
/// libFuzzer's entry point; `CHORUS_FUZZ_TARGET` names the target (`scripts/fuzz.sh` sets it).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ChorusFuzz.target.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Without libFuzzer: replays inputs, `chorus-fuzz TARGET FILE...`, to reproduce a crash the
/// fuzzer found with an ordinary build.
@main
struct ChorusFuzzReplay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            print("usage: chorus-fuzz TARGET FILE...   (targets: \(names))")
            return
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("chorus-fuzz: cannot read \(path)")
                continue
            }
            target.run(Array(data))
        }
        print("chorus-fuzz: \(arguments.count - 1) inputs of \(name) ran without a crash")
    }
}
#endif

/// The target libFuzzer runs, read once from the environment.
enum ChorusFuzz {
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["CHORUS_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set CHORUS_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
        }
        return target
    }()
}
