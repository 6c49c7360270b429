import Testing
@testable import AuditCore

@Test func placeholder() { #expect(FileVersion(1, 0, 0, 0) < FileVersion(1, 0, 0, 1)) }
