extension FileVersion {
    /// True when `text` is exactly `major.minor.build.revision` of this version, with no branch and no
    /// leading zeros: then a store need not keep the text, because ``numericString`` gives it back.
    /// `6.00.3790.1830` and `6.0.3790.1830 (srv03_sp1_rtm.050324-1447)` keep theirs. Checked without
    /// building a string: an import asks this of every file row.
    public func isWrittenPlainly(as text: String) -> Bool {
        guard branch == nil else { return false }
        var utf8 = text.utf8[...]
        for (index, part) in [major, minor, build, revision].enumerated() {
            var value = 0
            var digits = 0
            let leadingZero = utf8.first == UInt8(ascii: "0")
            while let byte = utf8.first, byte >= 0x30, byte <= 0x39 {
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                utf8 = utf8.dropFirst()
                if digits > 5 { return false }
            }
            guard digits > 0, value == Int(part), !(leadingZero && digits > 1) else { return false }
            if index < 3 {
                guard utf8.first == UInt8(ascii: ".") else { return false }
                utf8 = utf8.dropFirst()
            }
        }
        return utf8.isEmpty
    }
}
