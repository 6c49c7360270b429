import AuditCore
import Foundation
import Testing
@testable import SMTPProbe
@testable import SMTPProbeServer
@testable import SMTPLab

/// A real MTA as the probed host: a private Postfix instance (own config and queue in a temp
/// directory, smtpd on 127.0.0.40) relaying to the responder. Postfix reads multiline replies
/// correctly, so the probe must call it `fixed`. Part of the serialized lab suite: when the
/// 1000-host campaign saturates the CPU, Postfix's queue manager can miss the wait.
extension LabCampaignTests {
    static let postfix = "/usr/sbin/postfix"

    @Test func campaignThroughARealPostfixRelayIsFixed() async throws {
        guard TestSupport.tool(Self.postfix), getuid() == 0 else {
            print("note: postfix not installed or not root; skipping campaignThroughARealPostfixRelayIsFixed")
            return
        }
        let configuration = CampaignConfiguration(
            campaignID: "postfix", probeDomain: "probe.test",
            profiles: [ProbeProfile(delayMilliseconds: 1500, continuationLines: 2)],
            waitMilliseconds: 20_000, triggerTimeoutMilliseconds: 10_000)
        let (responder, port) = try await TestSupport.responder(host: "127.0.0.1", tokens: configuration.tokenAuthority)
        let directory = try Self.writeInstance(listen: "127.0.0.40:25305", relayPort: port)
        let config = directory + "/conf"
        var evidence: [ProbeEvidence] = []
        var failure: (any Error)?
        do {
            let (status, output) = try await TestSupport.run(Self.postfix, ["-c", config, "start"], timeout: 30)
            #expect(status == 0, "postfix start: \(output)")
            if status == 0 {
                let campaign = ProbeCampaign(configuration: configuration, responder: responder.configuration, logger: TestSupport.logger)
                evidence = await campaign.run(targets: [ProbeTarget(host: "postfix-relay", address: "127.0.0.40:25305")],
                                              responder: responder)
            }
        } catch {
            failure = error
        }
        let queue = (try? await TestSupport.run("/usr/sbin/postqueue", ["-c", config, "-p"], timeout: 10))?.1 ?? ""
        _ = try? await TestSupport.run(Self.postfix, ["-c", config, "stop"], timeout: 30)
        try await responder.stop()
        let log = (try? String(contentsOfFile: directory + "/maillog", encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: directory)
        if let failure { throw failure }
        #expect(evidence.first?.outcome == .fixed, "\(evidence.first?.note ?? "")\n\(evidence.first?.transcript ?? "")\n\(evidence.first?.triggerTranscript ?? "")\n\(log)\n\(queue)")
        #expect(evidence.first?.peer?.hasPrefix("127.0.0.40:") == true)
        #expect(evidence.first?.prematureBytes == 0)
    }

    /// Writes main.cf and master.cf for a private instance; returns its directory.
    static func writeInstance(listen: String, relayPort: Int) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("probe-postfix-\(UUID().uuidString.prefix(8))").path
        let fm = FileManager.default
        for sub in ["conf", "queue", "data"] { try fm.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true) }
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        // Postfix daemons run as the postfix user and need their data directory.
        if let user = getpwnam("postfix") { chown(directory + "/data", user.pointee.pw_uid, user.pointee.pw_gid) }
        let address = String(listen.split(separator: ":")[0])
        let main = """
        compatibility_level = 3.6
        queue_directory = \(directory)/queue
        data_directory = \(directory)/data
        mail_owner = postfix
        setgid_group = postdrop
        inet_interfaces = loopback-only
        inet_protocols = ipv4
        myhostname = lab-postfix.test
        mydestination =
        mynetworks = 127.0.0.0/8
        relayhost = [127.0.0.1]:\(relayPort)
        smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
        queue_run_delay = 1s
        minimal_backoff_time = 1s
        maximal_backoff_time = 2s
        alias_maps =
        alias_database =
        local_recipient_maps =
        smtp_tls_security_level = none
        smtpd_tls_security_level = none
        smtp_dns_support_level = disabled
        smtp_bind_address = \(address)
        maillog_file_prefixes = /tmp, /var
        maillog_file = \(directory)/maillog

        """
        let master = """
        \(listen) inet n - n - - smtpd
        pickup unix n - n 60 1 pickup
        cleanup unix n - n - 0 cleanup
        qmgr unix n - n 300 1 qmgr
        rewrite unix - - n - - trivial-rewrite
        bounce unix - - n - 0 bounce
        defer unix - - n - 0 bounce
        trace unix - - n - 0 bounce
        verify unix - - n - 1 verify
        flush unix n - n 1000? 0 flush
        proxymap unix - - n - - proxymap
        smtp unix - - n - - smtp
        relay unix - - n - - smtp
        showq unix n - n - - showq
        error unix - - n - - error
        retry unix - - n - - error
        discard unix - - n - - discard
        anvil unix - - n - 1 anvil
        scache unix - - n - 1 scache
        postlog unix-dgram n - n - 1 postlogd

        """
        try main.write(toFile: directory + "/conf/main.cf", atomically: true, encoding: .utf8)
        try master.write(toFile: directory + "/conf/master.cf", atomically: true, encoding: .utf8)
        return directory
    }
}
