#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// hotfix-audit-fuzz: libFuzzer entry points for the importers.
//
// Normal builds: `hotfix-audit-fuzz FILE…` replays inputs (a corpus or crash files) through the
// target named by HOTFIX_FUZZ_TARGET and exits 0 when none crashes.
// `-DFUZZING` builds (scripts/fuzz): the same target is exported as LLVMFuzzerTestOneInput and
// main hands control to libFuzzer's driver (linked from the sanitizer runtime).

let fuzzTarget = FuzzTarget.selected

/// Runs one input through the selected fuzz target; exported as libFuzzer's `LLVMFuzzerTestOneInput` (always returns 0).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    fuzzTarget.run(bytes)
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
#else
/// The bytes of one file, nil when it cannot be opened.
func contents(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = fread(&buffer, 1, buffer.count, file)
        if got <= 0 { break }
        bytes.append(contentsOf: buffer[0..<got])
    }
    return bytes
}

/// The files named, directories expanded (sorted, dot files skipped).
func expand(_ paths: [String]) -> [String] {
    var files: [String] = []
    for path in paths {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, let dir = opendir(path) else { files.append(path); continue }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if !name.hasPrefix(".") { names.append(path + "/" + name) }
        }
        closedir(dir)
        files += names.sorted()
    }
    return files
}

var replayed = 0, unreadable = 0
for path in expand(Array(CommandLine.arguments.dropFirst())) {
    guard let bytes = contents(path) else { print("cannot open \(path)"); unreadable += 1; continue }
    fuzzTarget.run(bytes)
    replayed += 1
}
print("hotfix-audit-fuzz: \(fuzzTarget.rawValue): replayed \(replayed) input(s), \(unreadable) unreadable")
exit(unreadable == 0 ? 0 : 1)
#endif
