import Logging
import NIOCore

/// Performs the responder state machine's actions on a channel: writes, timers, close, records.
/// It splits the inbound bytes into lines itself with an ``SMTPLineDecoder`` (the same decoder,
/// called directly rather than through a `ByteToMessageHandler`: no pipeline hop and no boxed
/// message per line), and flushes once per batch of replies.
final class ResponderHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: ResponderStateMachine
    private var decoder: SMTPLineDecoder
    /// Bytes of an incomplete line from earlier reads (at most the decoder's line limit).
    private var pending: ByteBuffer?
    private let book: DeliveryBook
    private let connections: LockedBox<Int>
    private let logger: Logger
    private var counted = false
    /// When the current stage times out, checked by the loop's ``SessionTimeouts`` (no task per session).
    private var timeoutDeadline: NIODeadline?
    private var timeouts: SessionTimeouts?
    private var context: ChannelHandlerContext?
    /// Pending reply timers; fired ones are removed, so closing cancels only live ones.
    private var timers: [ResponderStateMachine.Timer: Scheduled<Void>] = [:]
    /// Set once the session is over and our side is shut for writing: input is read and dropped until
    /// the peer closes or `lingerMilliseconds` pass. Closing a socket with unread input makes the kernel
    /// reset the connection, and a reset can destroy the last replies (a flood's final 421) in flight.
    private var lingering = false
    /// When a lingering session is closed at the latest.
    private var lingerDeadline: NIODeadline?
    static let lingerMilliseconds: Int64 = 2000

    /// `timeouts`: the loop's shared deadline check (the server passes one per event loop); without
    /// it the handler makes its own on the channel's loop.
    init(machine: ResponderStateMachine, book: DeliveryBook, connections: LockedBox<Int>, logger: Logger,
         timeouts: SessionTimeouts? = nil) {
        self.timeouts = timeouts
        let limits = machine.configuration.limits
        self.decoder = SMTPLineDecoder(maximumLineLength: max(limits.textLineOctets, limits.commandLineOctets))
        self.machine = machine
        self.book = book
        self.connections = connections
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        let limit = machine.configuration.limits.maxConnections
        let admitted = connections.withLock { count -> Bool in
            guard count < limit else { return false }
            count += 1
            return true
        }
        counted = admitted
        self.context = context
        if timeouts == nil || timeouts!.eventLoop !== context.eventLoop {
            timeouts = SessionTimeouts(eventLoop: context.eventLoop, tick: SessionTimeouts.tick(for: machine.configuration.limits))
        }
        timeouts!.add(self)
        if admitted {
            perform(machine.start(now: context.eventLoop.now), context: context)
        } else {
            logger.warning("connection limit reached", metadata: ["smtp.peer": "\(machine.peer)"])
            perform(machine.refuse(), context: context)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if lingering { return }
        var buffer = unwrapInboundIn(data)
        if var earlier = pending {
            pending = nil
            earlier.writeBuffer(&buffer)
            buffer = earlier
        }
        let now = context.eventLoop.now
        // Every reply to the lines of this read goes out in one write and one flush.
        var out: ByteBuffer?
        var closing = false
        while !closing, let line = decoder.nextLine(from: &buffer) {
            closing = run(machine.receive(line, now: now), into: &out, context: context)
        }
        if let out { context.writeAndFlush(wrapOutboundOut(out), promise: nil) }
        if closing {
            linger(context: context)
            return
        }
        // A trailing partial line waits for more bytes; at the end of the stream it is dropped
        // (SMTP acts on complete lines only). The decoder caps what it leaves unread.
        if buffer.readableBytes > 0 { pending = buffer }
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(machine.peerClosed(now: context.eventLoop.now), context: context)
        // Leave the loop's deadline check (it holds this handler, and so the channel, machine and transcript).
        timeouts?.remove(self)
        timeoutDeadline = nil
        lingerDeadline = nil
        self.context = nil
        timers.values.forEach { $0.cancel() }
        timers = [:]
        if counted {
            connections.withLock { $0 -= 1 }
            counted = false
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("responder session error", metadata: ["smtp.peer": "\(machine.peer)", "error": "\(error)"])
        context.close(promise: nil)
    }

    /// Ends the session gracefully: our replies are out, so shut our side for writing (the peer sees the
    /// end after them), drop whatever the peer still sends, and close when it closes or after the linger
    /// time at the latest — so a flooding peer cannot hold the connection open.
    private func linger(context: ChannelHandlerContext) {
        guard !lingering, context.channel.isActive else { return }
        lingering = true
        pending = nil
        // Until the shutdown is done, a peer that does not read our last replies is bounded by the
        // command timeout (the session's own deadline is cleared when it ends).
        let stall = max(Int64(machine.configuration.limits.commandTimeoutMilliseconds), Self.lingerMilliseconds)
        lingerDeadline = context.eventLoop.now + .milliseconds(stall)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        // NIO shuts the output once the replies written before are out: only then does the linger
        // time start (a failed shutdown closes at once).
        let shutdown = context.eventLoop.makePromise(of: Void.self)
        shutdown.futureResult.whenComplete { result in
            let (handler, context) = bound.value
            guard case .success = result, context.channel.isActive else {
                context.close(promise: nil)
                return
            }
            handler.lingerDeadline = context.eventLoop.now + .milliseconds(Self.lingerMilliseconds)
        }
        context.close(mode: .output, promise: shutdown)
    }

    /// A command/data timeout or the linger limit has passed.
    func isDue(_ now: NIODeadline) -> Bool {
        if let deadline = timeoutDeadline, deadline <= now { return true }
        if let deadline = lingerDeadline, deadline <= now { return true }
        return false
    }

    /// Called by ``SessionTimeouts`` when ``isDue(_:)``.
    func deadlinePassed(now: NIODeadline) {
        guard let context else { return }
        if let deadline = lingerDeadline, deadline <= now {
            lingerDeadline = nil
            context.close(promise: nil)
            return
        }
        if let deadline = timeoutDeadline, deadline <= now {
            timeoutDeadline = nil
            perform(machine.timeout(now: now), context: context)
        }
    }

    private func perform(_ actions: [ResponderStateMachine.Action], context: ChannelHandlerContext) {
        var out: ByteBuffer?
        let closing = run(actions, into: &out, context: context)
        if let out { context.writeAndFlush(wrapOutboundOut(out), promise: nil) }
        // The output is shut only after the replies written above (NIO keeps the shutdown pending
        // until they are out), so the peer sees the end after them.
        if closing { linger(context: context) }
    }

    /// Performs `actions`, gathering every reply into `out` (one buffer, one write and one flush per
    /// batch); returns whether the session is to be closed once that buffer is written.
    private func run(_ actions: [ResponderStateMachine.Action], into out: inout ByteBuffer?,
                     context: ChannelHandlerContext) -> Bool {
        var closing = false
        var due: ResponderStateMachine.Timer?
        for action in actions {
            switch action {
            case .write(let text):
                if out == nil {
                    out = context.channel.allocator.buffer(capacity: max(256, text.utf8.count))
                }
                out!.writeString(text)
            case .schedule(.finalLine(let generation), let milliseconds) where milliseconds <= 0:
                // No delay: the final line goes out with the continuation lines, in the same flush.
                due = .finalLine(generation: generation)
            case .schedule(let timer, let milliseconds):
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                let task = context.eventLoop.scheduleTask(in: .milliseconds(Int64(max(0, milliseconds)))) {
                    let (handler, context) = bound.value
                    handler.timers[timer] = nil
                    handler.perform(handler.machine.timerFired(timer, now: context.eventLoop.now), context: context)
                }
                timers[timer] = task
            case .armTimeout(let milliseconds):
                timeoutDeadline = context.eventLoop.now + .milliseconds(Int64(milliseconds))
            case .close:
                timeoutDeadline = nil
                closing = true
            case .record(let record):
                book.update(record)
                if record.finished {
                    logger.debug("probe delivery recorded", metadata: [
                        "probe.token": "\(record.token)", "smtp.peer": "\(record.peer)",
                        "probe.premature": "\(record.prematureBytes)", "probe.intact": "\(record.intact)",
                    ])
                }
            case .stray(let stray):
                book.addStray(stray)
                logger.notice("stray probe recipient refused", metadata: [
                    "smtp.peer": "\(stray.peer)", "smtp.rcpt": "\(stray.recipient)", "probe.reason": "\(stray.reason)",
                ])
            }
        }
        if let due, run(machine.timerFired(due, now: context.eventLoop.now), into: &out, context: context) { closing = true }
        return closing
    }
}
