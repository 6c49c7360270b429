import Testing
import AuditCore

/// AuditCore's value spellings, as the importers rely on them.
struct FileVersionTests {
    @Test(arguments: [
        ("6.0.3790.2668", 6, 0, 3790, 2668, nil),
        ("6.0.3790", 6, 0, 3790, 0, nil),
        (" 5.2.3790.3959 (srv03_sp2_rtm.070216-1710) ", 5, 2, 3790, 3959, "srv03_sp2_rtm"),
        ("2000.85.1062.0000", 2000, 85, 1062, 0, nil),
        ("6.0.3790.1830 built by: srv03_sp1_rtm", 6, 0, 3790, 1830, "srv03_sp1_rtm"),
        ("65535.65535.65535.65535", 65535, 65535, 65535, 65535, nil),
    ] as [(String, Int, Int, Int, Int, String?)])
    func versionTextsParseIntoFourComponentsAndBranch(text: String, major: Int, minor: Int, build: Int, revision: Int, branch: String?) throws {
        let version = try FileVersion(parsing: text)
        #expect([version.major, version.minor, version.build, version.revision] == [major, minor, build, revision])
        #expect(version.branch == branch)
    }

    @Test(arguments: ["", "6..3790.1", "6.0.3790.2668.1", "6.0.3790.x", "6.0.3790.65536", "6.0.3790.2668 (srv03", "v6.0"])
    func malformedVersionTextsAreRejectedWithAReason(text: String) {
        #expect(throws: FileVersion.ParseError.self) { try FileVersion(parsing: text) }
    }

    @Test(arguments: [
        ("6.0.3790.999", "6.0.3790.2668"),
        ("6.0.3790.1830", "6.0.3790.2668"),
        ("6.0.3790.2668", "6.0.3790.3959"),
        ("5.2.3790.9999", "6.0.0.0"),
        ("6.0.3790", "6.0.3790.1"),
    ])
    func versionsCompareNumericallyComponentByComponent(lower: String, higher: String) throws {
        let a = try FileVersion(parsing: lower)
        let b = try FileVersion(parsing: higher)
        #expect(a < b)
        #expect(!(b < a))
        #expect(a.sortKey < b.sortKey)
    }

    @Test func branchTagDoesNotAffectEquality() throws {
        #expect(try FileVersion(parsing: "6.0.3790.3959 (srv03_sp2_rtm.070216-1710)") == FileVersion(parsing: "6.0.3790.3959"))
    }
}

struct SpellingTests {
    @Test(arguments: [
        ("x86", Platform.x86), ("X86-based PC", .x86), ("Intel", .x86), ("32-bit", .x86),
        ("x64", .x64), ("AMD64", .x64), ("x86_64", .x64), ("x64-based PC", .x64),
        ("IA-64", .ia64), ("IA64", .ia64), ("ia64", .ia64), ("Itanium-based", .ia64),
        ("Alpha", .alpha), ("(alpha)", .alpha), ("Alpha-based PC", .alpha), ("I386", .x86), ("(X86)", .x86), ("i486", .x86),
    ])
    func platformSpellingsAreRecognised(text: String, platform: Platform) {
        #expect(Platform(spelling: text) == platform)
    }

    @Test(arguments: ["ARM", "MIPS", "", "R3000", "Windows"])
    func unknownPlatformSpellingsAreRejected(text: String) {
        #expect(Platform(spelling: text) == nil)
    }

    @Test(arguments: [
        ("x64-based versions of Windows Server 2003", Platform.x64),
        ("Windows Server 2003, Enterprise Edition for Itanium-based Systems", .ia64),
        ("For all supported x86-based versions of Windows Server 2003", .x86),
    ])
    func platformsAreFoundInHeadings(text: String, platform: Platform) {
        #expect(Platform.mentioned(in: text) == platform)
    }

    @Test(arguments: [
        ("Microsoft(R) Windows(R) Server 2003, Enterprise x64 Edition", "Windows Server 2003"),
        ("Microsoft Windows Server 2003 R2", "Windows Server 2003"),
        ("Windows Server 2008 R2 Datacenter", "Windows Server 2008 R2"),
        ("Microsoft Exchange Server 2003 SP2", "Exchange Server 2003"),
        ("Windows XP Professional x64 Edition", "Windows XP"),
    ])
    func productSpellingsNormaliseToAFamily(text: String, name: String) {
        #expect(Product(recognizing: text)?.name == name)
    }

    @Test(arguments: [
        ("RTM", 0, nil), ("SP1", 1, nil), ("SP2GDR", 2, "GDR"), ("SP1QFE", 1, "QFE"),
        ("Service Pack 2", 2, nil), ("2", 2, nil), ("none", 0, nil),
    ] as [(String, Int, String?)])
    func servicePackSpellingsGiveLevelAndBranch(text: String, level: Int, branch: String?) {
        let pack = ServicePack(text)
        #expect(pack?.level == level)
        #expect(pack?.branch == branch)
    }

    @Test(arguments: [("KB912341", 912341), ("kb912341", 912341), ("912341", 912341), ("Q323157", 323157), (" KB 912341 ", nil)] as [(String, Int?)])
    func kbNumberSpellings(text: String, number: Int?) {
        #expect(KBNumber(text)?.number == number)
    }

    @Test func kbNumberPrintsWithPrefix() {
        #expect(KBNumber(912341).description == "KB912341")
        #expect(KBNumber("x12") == nil)
    }
}
