import AuditCore
import Testing

/// A store drops a version text only when ``FileVersion/numericString`` gives it back exactly.
struct FileVersionSpellingTests {
    @Test(arguments: [
        ("6.0.3790.2668", true),
        ("0.0.0.0", true),
        ("65535.65535.65535.65535", true),
        ("6.00.3790.2668", false),        // a leading zero is part of the text
        ("6.0.3790.02668", false),
        ("6.0.3790", false),
        ("6.0.3790.2668.1", false),
        ("6.0.3790.2668 ", false),
        ("6,0,3790,2668", false),
        ("6.0.3790.2669", false),         // another version
        ("000006.0.3790.2668", false),
    ])
    func aTextIsPlainOnlyWhenItIsTheFourPartsAsWritten(text: String, plain: Bool) {
        let version = text.hasPrefix("65535") ? FileVersion(65535, 65535, 65535, 65535) : (text.hasPrefix("0.") ? FileVersion(0, 0, 0, 0) : FileVersion(6, 0, 3790, 2668))
        #expect(version.isWrittenPlainly(as: text) == plain, "\(text)")
        #expect(plain == (text == version.numericString))
    }

    @Test func aVersionWithABranchAlwaysKeepsItsText() {
        let version = FileVersion(6, 0, 3790, 2668, branch: "srv03_sp1_rtm.050324-1447")
        #expect(!version.isWrittenPlainly(as: "6.0.3790.2668"))
    }
}
