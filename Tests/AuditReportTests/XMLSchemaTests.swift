import AuditReport
import Foundation
import Testing

/// Every XML report validates against data/schema/hotfix-audit-report.xsd.
@Suite struct XMLSchemaTests {
    /// libxml2's validator and, when installed, xmllint agree that the file is valid.
    static func expectValid(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problems = try XMLSchemaValidation.validate(xmlPath: path, xsdPath: TestSupport.schemaPath)
        #expect(problems.isEmpty, "libxml2: \(problems.prefix(5))", sourceLocation: sourceLocation)
        if let xmllint = TestSupport.which("xmllint") {
            let (status, _, errors) = try TestSupport.run(xmllint, ["--noout", "--schema", TestSupport.schemaPath, path])
            #expect(status == 0, "xmllint: \(errors.prefix(2000))", sourceLocation: sourceLocation)
        }
    }

    @Test func sampleFleetReportValidates() throws {
        try Self.expectValid(try TestSupport.writeAll(SampleFleet.source)[.xml]!)
    }

    @Test func validatorReportsSchemaViolations() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("bad.xml").path
        try #"<audit-report xmlns="urn:hotfix-audit:report:1" version="2"><metadata/></audit-report>"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let problems = try XMLSchemaValidation.validate(xmlPath: path, xsdPath: TestSupport.schemaPath)
        #expect(!problems.isEmpty)
    }

    @Test func validatorReportsMalformedDocuments() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("broken.xml").path
        try "<audit-report xmlns=\"urn:hotfix-audit:report:1\"><unclosed></audit-report>".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(!(try XMLSchemaValidation.validate(xmlPath: path, xsdPath: TestSupport.schemaPath)).isEmpty)
    }

    @Test func missingSchemaIsAnError() throws {
        let path = try TestSupport.writeAll(SampleFleet.source)[.xml]!
        #expect(throws: XMLSchemaValidation.Failure.self) {
            try XMLSchemaValidation.validate(xmlPath: path, xsdPath: "/nonexistent/schema.xsd")
        }
    }
}
