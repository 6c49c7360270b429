import Testing
@testable import AuditCore

struct GreetingCase: Sendable, CustomTestStringConvertible {
    var greeting: String
    var version: FileVersion?
    var testDescription: String { greeting }
}

private let greetingCases: [GreetingCase] = [
    GreetingCase(greeting: "220 mail01.corp.example Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830 ready at  Tue, 1 Dec 2026 10:00:00 +0000",
                 version: FileVersion(6, 0, 3790, 1830)),
    GreetingCase(greeting: "220 EXCH03 Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Thu, 3 May 2007 09:12:01 +0200",
                 version: FileVersion(6, 0, 3790, 3959)),
    GreetingCase(greeting: "220 w2k.example Microsoft ESMTP MAIL Service, Version: 5.0.2195.6713 ready at  Mon, 2 Feb 2004 08:00:00 -0500",
                 version: FileVersion(5, 0, 2195, 6713)),
    GreetingCase(greeting: "220 lab microsoft esmtp mail service,version:6.0.3790.2668 ready (lab, fixed)", version: FileVersion(6, 0, 3790, 2668)),
    GreetingCase(greeting: "220 EX2010.example Microsoft ESMTP MAIL Service ready at Tue, 1 Dec 2026 10:00:00 +0000", version: nil),
    GreetingCase(greeting: "220 mx.example ESMTP Postfix", version: nil),
    GreetingCase(greeting: "220 mx.example ESMTP Postfix (Debian/GNU) Version: 6.0.3790.1830", version: nil),
    GreetingCase(greeting: "220 Welcome to the mail gateway", version: nil),
    GreetingCase(greeting: "220 host Microsoft ESMTP MAIL Service, Version: 6.0.3790 ready", version: nil),
    GreetingCase(greeting: "220 host Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830.7 ready", version: nil),
    GreetingCase(greeting: "220 host Microsoft ESMTP MAIL Service, Version: 6.0.3790.99999999 ready", version: nil),
    GreetingCase(greeting: "220 host Microsoft ESMTP MAIL Service, Version: 6.0.3790.1830beta ready", version: nil),
    GreetingCase(greeting: "220 host Microsoft ESMTP MAIL Service, Version: 6.0.3790.70000 ready", version: nil),
    GreetingCase(greeting: "", version: nil),
]

@Test(arguments: greetingCases)
func greetingAnnouncesTheRunningVersionOnlyWhenItNamesOne(_ item: GreetingCase) {
    #expect(SMTPGreeting(text: item.greeting).version == item.version)
}

@Test func aStoredVersionIsKeptAsGiven() {
    let greeting = SMTPGreeting(text: "220 x ESMTP Postfix", version: nil)
    #expect(greeting.version == nil && greeting.text == "220 x ESMTP Postfix")
}
