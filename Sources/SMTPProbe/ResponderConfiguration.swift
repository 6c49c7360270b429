/// A `HOST:PORT` the responder listens on.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// IPv4 or IPv6 address or host name, without brackets.
    public var host: String
    /// TCP port; 0 lets the system choose (tests, the demo).
    public var port: Int

    /// An address to listen on.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` (`[v6]:PORT` for IPv6); nil when malformed.
    public init?(parsing text: String, defaultPort: Int? = nil) {
        guard let (host, port) = splitHostPort(text, defaultPort: defaultPort) else { return nil }
        self.init(host: host, port: port)
    }

    /// `host:port`, or `[v6]:port` for an IPv6 address.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Splits `HOST[:PORT]` / `[V6][:PORT]`; nil when the port is missing (without default) or invalid.
package func splitHostPort(_ text: String, defaultPort: Int?) -> (String, Int)? {
    var host = Substring(text)
    var portText: Substring?
    if host.hasPrefix("[") {
        guard let close = host.firstIndex(of: "]") else { return nil }
        let after = host[host.index(after: close)...]
        host = host[host.index(after: host.startIndex)..<close]
        if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
    } else if let colon = host.lastIndex(of: ":"), host.filter({ $0 == ":" }).count == 1 {
        portText = host[host.index(after: colon)...]
        host = host[..<colon]
    }
    guard !host.isEmpty else { return nil }
    if let portText {
        guard let port = Int(portText), (0...65535).contains(port) else { return nil }
        return (String(host), port)
    }
    guard let defaultPort else { return nil }
    return (String(host), defaultPort)
}

/// Limits the responder enforces; RFC 5321 values by default, timeouts as upper bounds.
public struct ResponderLimits: Sendable, Hashable {
    /// Command line, CRLF included (RFC 5321 4.5.3.1.4: 512).
    public var commandLineOctets: Int
    /// Text line of the message, CRLF included (4.5.3.1.6: 1000).
    public var textLineOctets: Int
    /// Largest message accepted; bigger gets 552.
    public var maxMessageBytes: Int
    /// Concurrent sessions; more get `421` and are closed.
    public var maxConnections: Int
    /// Recipients per message; more get `452`.
    public var maxRecipients: Int
    /// Invalid commands per session before `421` (limit).
    public var maxErrors: Int
    /// Waiting for the next command (RFC 5321 server timeout: 5 min).
    public var commandTimeoutMilliseconds: Int
    /// Waiting for the next data line, including the first after the final 354 (3 min).
    public var dataTimeoutMilliseconds: Int
    /// Pause between the two writes of a `split` final line.
    public var splitPauseMilliseconds: Int
    /// Transcript cap per session.
    public var transcriptBytes: Int
    /// Concurrent sessions from one peer IP address; more get `421 4.7.0` and are closed, so one
    /// peer cannot take every slot of `maxConnections` (a relay delivers over a few connections).
    public var maxConnectionsPerAddress: Int
    /// Commands that neither start nor carry a message (EHLO, HELO, RSET, NOOP, VRFY, HELP) allowed
    /// since the session start or its last message; each further one counts as an error.
    public var maxJunkCommands: Int
    /// A session that sends no message for this long (since its start or its last DATA) is closed
    /// with `421`, whatever commands it sends meanwhile (NOOP does not renew it). Counted only while
    /// commands are read: the delayed 354 and the message data have their own timeouts.
    public var idleSessionMilliseconds: Int
    /// An over-long command line is refused with `500` as soon as it passes `commandLineOctets`; if it
    /// runs on without a line end, every further this many octets count as one more error, so an
    /// endless line reaches `maxErrors` (then `421`) within about `maxErrors` times this many octets.
    public var overlongLineOctetsPerError: Int
    /// Replies written but not yet taken by the peer's socket above which the responder stops reading
    /// from it (back-pressure: NIO's write buffer high-water mark; reading resumes below half of it).
    public var unwrittenReplyBytes: Int
    /// How long a peer may leave more than `unwrittenReplyBytes` of replies unread before the session
    /// is closed; also bounds how long a finished session waits for its last replies to be taken.
    public var writeStallTimeoutMilliseconds: Int
    /// Commands pipelined after the end-of-data dot while the final 354 line is pending are answered
    /// once it is out (RFC 2920); beyond this many octets of them they are dropped, and the transcript
    /// says so.
    public var pipelinedBytesAfterData: Int

    /// Limits; the defaults follow RFC 5321's minimums and keep one hostile peer from holding more than its share.
    public init(commandLineOctets: Int = 512, textLineOctets: Int = 1000, maxMessageBytes: Int = 1_048_576,
                maxConnections: Int = 2000, maxRecipients: Int = 100, maxErrors: Int = 10,
                commandTimeoutMilliseconds: Int = 300_000, dataTimeoutMilliseconds: Int = 180_000,
                splitPauseMilliseconds: Int = 500, transcriptBytes: Int = 16_384,
                maxConnectionsPerAddress: Int = 64, maxJunkCommands: Int = 20, idleSessionMilliseconds: Int = 600_000,
                overlongLineOctetsPerError: Int = 65_536, unwrittenReplyBytes: Int = 32_768,
                writeStallTimeoutMilliseconds: Int = 30_000, pipelinedBytesAfterData: Int = 16_384) {
        self.commandLineOctets = commandLineOctets
        self.textLineOctets = textLineOctets
        self.maxMessageBytes = maxMessageBytes
        self.maxConnections = maxConnections
        self.maxRecipients = maxRecipients
        self.maxErrors = maxErrors
        self.commandTimeoutMilliseconds = commandTimeoutMilliseconds
        self.dataTimeoutMilliseconds = dataTimeoutMilliseconds
        self.splitPauseMilliseconds = splitPauseMilliseconds
        self.transcriptBytes = transcriptBytes
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.maxJunkCommands = maxJunkCommands
        self.idleSessionMilliseconds = idleSessionMilliseconds
        self.overlongLineOctetsPerError = overlongLineOctetsPerError
        self.unwrittenReplyBytes = unwrittenReplyBytes
        self.writeStallTimeoutMilliseconds = writeStallTimeoutMilliseconds
        self.pipelinedBytesAfterData = pipelinedBytesAfterData
    }
}

/// Where the probe responder listens, which domain it accepts probe mail for, and its limits.
public struct ResponderConfiguration: Sendable, Hashable {
    /// Every address the responder listens on.
    public var listen: [ListenAddress]
    /// The domain of probe recipients (`probe+TOKEN@probeDomain`); other domains are relay attempts.
    public var probeDomain: String
    /// Name in the greeting and EHLO reply.
    public var hostname: String
    /// Bounds on sessions, lines, messages and time.
    public var limits: ResponderLimits

    /// A configuration; the defaults suit a loopback test responder.
    public init(listen: [ListenAddress] = [ListenAddress(host: "127.0.0.1", port: 2525)],
                probeDomain: String = "probe.invalid", hostname: String = "hotfix-audit-probe",
                limits: ResponderLimits = ResponderLimits()) {
        self.listen = listen
        self.probeDomain = probeDomain.lowercased()
        self.hostname = hostname
        self.limits = limits
    }
}
