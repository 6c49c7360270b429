import Logging
import NIOCore

/// Performs the responder state machine's actions on a channel: writes, timers, close, records.
/// It splits the inbound bytes into lines itself with an ``SMTPLineDecoder`` (the same decoder,
/// called directly rather than through a `ByteToMessageHandler`: no pipeline hop and no boxed
/// message per line), and flushes once per batch of replies.
///
/// Back-pressure: once the replies the peer has not taken pass the channel's high-water mark
/// (`unwrittenReplyBytes`), the handler stops answering lines and holds the channel's `read()`, so a
/// peer that sends commands and never reads cannot grow our memory; it resumes when the channel is
/// writable again and closes the session if it stays unwritable for `writeStallTimeoutMilliseconds`.
package final class ResponderHandler: ChannelDuplexHandler {
    /// Bytes from the peer, decoded into lines by the handler itself.
    package typealias InboundIn = ByteBuffer
    /// Bytes written by the handler (replies).
    package typealias OutboundIn = ByteBuffer
    /// Bytes sent to the peer.
    package typealias OutboundOut = ByteBuffer
    /// Replies gathered from one read are flushed once they reach this size, and writability checked.
    static let replyBatchBytes = 16_384

    private var machine: ResponderStateMachine
    private var decoder: SMTPLineDecoder
    /// Bytes not yet turned into lines: an incomplete line (at most the decoder's line limit), or,
    /// while reading is paused, the rest of the reads NIO had already made (bounded by its reads per loop).
    private var pending: ByteBuffer?
    private let book: DeliveryBook
    private let connections: ConnectionTable
    private let logger: Logger
    /// The address this session is counted under in `connections`, once admitted.
    private var countedAddress: String?
    /// Our unwritten replies are over the high-water mark: lines are not answered and reads are held.
    private var readPaused = false
    /// A `read()` arrived while paused; it is passed on when writing resumes.
    private var readHeld = false
    /// When a paused session is closed if the peer still has not taken our replies.
    private var stallDeadline: NIODeadline?
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
    package init(machine: ResponderStateMachine, book: DeliveryBook, connections: ConnectionTable, logger: Logger,
         timeouts: SessionTimeouts? = nil) {
        self.timeouts = timeouts
        self.decoder = SMTPLineDecoder(maximumLineLength: machine.lineLimit, reportsUnfinishedLines: true)
        self.machine = machine
        self.book = book
        self.connections = connections
        self.logger = logger
    }

    /// Admits the session or refuses it with `421` (too many sessions in all or from this peer), then greets.
    package func channelActive(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? machine.peer
        let admission = connections.admit(address)
        if admission == .admitted { countedAddress = address }
        self.context = context
        if timeouts == nil || timeouts!.eventLoop !== context.eventLoop {
            timeouts = SessionTimeouts(eventLoop: context.eventLoop, tick: SessionTimeouts.tick(for: machine.configuration.limits))
        }
        timeouts!.add(self)
        switch admission {
        case .admitted:
            perform(machine.start(now: context.eventLoop.now), context: context)
        case .full:
            logger.warning("connection limit reached", metadata: ["smtp.peer": "\(machine.peer)"])
            perform(machine.refuse(), context: context)
        case .fullForAddress:
            logger.warning("per-address connection limit reached", metadata: ["smtp.peer": "\(machine.peer)"])
            perform(machine.refuse(perAddress: true), context: context)
        }
        context.fireChannelActive()
    }

    /// Feeds the peer's lines to the state machine and performs its actions; stops reading while replies back up.
    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if lingering { return }
        var buffer = unwrapInboundIn(data)
        if var earlier = pending {
            pending = nil
            earlier.writeBuffer(&buffer)
            buffer = earlier
        }
        pending = buffer
        // While paused, bytes of reads NIO had already made wait unanswered.
        if !readPaused { answerPending(context: context) }
    }

    /// Turns the pending bytes into lines and answers them, until they run out, the session closes,
    /// or our unwritten replies pass the high-water mark (then reading pauses).
    private func answerPending(context: ChannelHandlerContext) {
        guard var buffer = pending else { return }
        pending = nil
        let now = context.eventLoop.now
        // The replies to the lines of one read go out in one write and one flush (or one per batch).
        var out: ByteBuffer?
        var closing = false
        while !closing {
            decoder.maximumLineLength = machine.lineLimit
            guard let line = decoder.nextLine(from: &buffer) else { break }
            closing = run(machine.receive(line, now: now), into: &out, context: context)
            if !closing, let batch = out, batch.readableBytes >= Self.replyBatchBytes {
                out = nil
                context.writeAndFlush(wrapOutboundOut(batch), promise: nil)
                if !context.channel.isWritable {
                    pauseReading(context: context)
                    break
                }
            }
        }
        if let out { context.writeAndFlush(wrapOutboundOut(out), promise: nil) }
        if closing {
            linger(context: context)
            return
        }
        if !context.channel.isWritable { pauseReading(context: context) }
        // A trailing partial line waits for more bytes; at the end of the stream it is dropped
        // (SMTP acts on complete lines only). The decoder caps what it leaves of a line.
        if buffer.readableBytes > 0 { pending = buffer }
    }

    private func pauseReading(context: ChannelHandlerContext) {
        guard !readPaused else { return }
        readPaused = true
        stallDeadline = context.eventLoop.now + .milliseconds(Int64(machine.configuration.limits.writeStallTimeoutMilliseconds))
    }

    /// Outbound `read()`: held while paused, so NIO stops reading the peer's socket.
    package func read(context: ChannelHandlerContext) {
        if readPaused {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// Resumes reading once the peer has read its pending replies.
    package func channelWritabilityChanged(context: ChannelHandlerContext) {
        if readPaused, context.channel.isWritable, !lingering {
            readPaused = false
            stallDeadline = nil
            answerPending(context: context)
            if !readPaused, !lingering, readHeld {
                readHeld = false
                context.read()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    /// Tells the state machine the peer has gone and leaves the timeout sweep.
    package func channelInactive(context: ChannelHandlerContext) {
        perform(machine.peerClosed(now: context.eventLoop.now), context: context)
        // Leave the loop's deadline check (it holds this handler, and so the channel, machine and transcript).
        timeouts?.remove(self)
        timeoutDeadline = nil
        lingerDeadline = nil
        stallDeadline = nil
        pending = nil
        self.context = nil
        timers.values.forEach { $0.cancel() }
        timers = [:]
        if let countedAddress {
            connections.release(countedAddress)
            self.countedAddress = nil
        }
        context.fireChannelInactive()
    }

    /// Closes the session on a channel error (logged at debug: peers misbehave routinely).
    package func errorCaught(context: ChannelHandlerContext, error: Error) {
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
        stallDeadline = nil
        // What the peer still sends is read and dropped (a paused session reads again).
        if readPaused {
            readPaused = false
            if readHeld {
                readHeld = false
                context.read()
            }
        }
        // Until the shutdown is done, a peer that does not read our last replies is bounded by the
        // write-stall timeout (the session's own deadline is cleared when it ends).
        let stall = max(Int64(machine.configuration.limits.writeStallTimeoutMilliseconds), Self.lingerMilliseconds)
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
        if let deadline = stallDeadline, deadline <= now { return true }
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
        if let deadline = stallDeadline, deadline <= now {
            // The peer takes none of our replies: record why, and close without a reply it would not read.
            stallDeadline = nil
            timeoutDeadline = nil
            logger.notice("peer reads no replies, closing", metadata: ["smtp.peer": "\(machine.peer)"])
            var out: ByteBuffer?
            _ = run(machine.writeStalled(now: now), into: &out, context: context)
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
