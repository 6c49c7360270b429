import AuditCore
import Testing

/// Text from hostile peers and inventories is shown to the operator's terminal with every control
/// and bidi character made visible, so it cannot drive the terminal or reorder what is read.
@Suite struct TerminalTextTests {
    @Test func plainTextIsReturnedUnchanged() {
        for text in ["web01.corp.example", "Windows Server 2003 — SP1", "ünïcødé 中文 🙂", "tab-free, \"quoted\" \\ back", ""] {
            #expect(TerminalText.escaped(text) == text)
        }
    }

    @Test func c0ControlsAreShownAsHexEscapes() {
        #expect(TerminalText.escaped("a\u{00}b\u{07}c\u{08}d\u{09}e\u{0D}f\u{1F}") == "a\\x00b\\x07c\\x08d\\x09e\\x0Df\\x1F")
    }

    @Test func escapeSequenceThatWritesTheClipboardIsNeutralised() {
        let attack = "550 \u{1B}]52;c;ZWNobyBwd25lZA==\u{07} denied"
        let shown = TerminalText.escaped(attack)
        #expect(shown == "550 \\x1B]52;c;ZWNobyBwd25lZA==\\x07 denied")
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func deleteAndC1ControlsIncludingEightBitCSIAreEscaped() {
        #expect(TerminalText.escaped("x\u{7F}y") == "x\\x7Fy")
        #expect(TerminalText.escaped("\u{9B}31m red \u{85}\u{80}") == "\\x9B31m red \\x85\\x80")
        // NO-BREAK SPACE, just past the C1 range, is ordinary text.
        #expect(TerminalText.escaped("\u{A0}") == "\u{A0}")
    }

    @Test func bidiMarksOverridesAndIsolatesAreEscaped() {
        let all: [UInt32] = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
        for value in all {
            let scalar = Unicode.Scalar(value)!
            let hex = String(value, radix: 16, uppercase: true)
            #expect(TerminalText.isUnsafe(scalar))
            #expect(TerminalText.escaped("a\(Character(scalar))b") == "a\\u{\(hex)}b")
        }
        // "exe.txt" spelt with an override, as an attacker would name a host: shown in logical order.
        #expect(TerminalText.escaped("report\u{202E}txt.exe") == "report\\u{202E}txt.exe")
        // Neighbours of the ranges stay.
        for value: UInt32 in [0x061B, 0x200D, 0x2029, 0x202F, 0x2065, 0x206A] {
            #expect(!TerminalText.isUnsafe(Unicode.Scalar(value)!))
        }
    }

    @Test func newlinesAreEscapedUnlessKeptForMultiLineEvidence() {
        let transcript = "S: 220 ok\nC: EHLO \u{1B}[2J\r\nS: 250"
        #expect(TerminalText.escaped(transcript) == "S: 220 ok\\x0AC: EHLO \\x1B[2J\\x0D\\x0AS: 250")
        #expect(TerminalText.escaped(transcript, keepingNewlines: true) == "S: 220 ok\nC: EHLO \\x1B[2J\\x0D\nS: 250")
    }

    @Test func escapingIsIdempotent() {
        let once = TerminalText.escaped("\u{1B}]0;title\u{07}\u{202E}\u{9B}")
        #expect(TerminalText.escaped(once) == once)
    }
}
