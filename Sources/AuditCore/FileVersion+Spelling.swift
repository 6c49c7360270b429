extension FileVersion {
    /// True when `text` is exactly `major.minor.build.revision` of this version, with no branch and no
    /// leading zeros: then a store need not keep the text, because ``numericString`` gives it back.
    /// `6.00.3790.1830` and `6.0.3790.1830 (srv03_sp1_rtm.050324-1447)` keep theirs. One pass over the
    /// bytes, without allocating: both stores' imports ask this of every file row.
    public func isWrittenPlainly(as text: String) -> Bool {
        guard branch == nil else { return false }
        var text = text
        return text.withUTF8 { bytes in
            var offset = 0
            for index in 0..<4 {
                let part: Int
                switch index {
                case 0: part = Int(major)
                case 1: part = Int(minor)
                case 2: part = Int(build)
                default: part = Int(revision)
                }
                var value = 0
                var digits = 0
                let leadingZero = offset < bytes.count && bytes[offset] == UInt8(ascii: "0")
                while offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 {
                    value = value * 10 + Int(bytes[offset] - 0x30)
                    digits += 1
                    offset += 1
                    if digits > 5 { return false }
                }
                guard digits > 0, value == part, !(leadingZero && digits > 1) else { return false }
                if index < 3 {
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: ".") else { return false }
                    offset += 1
                }
            }
            return offset == bytes.count
        }
    }
}
