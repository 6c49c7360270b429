import Logging
import NIOCore

/// Performs the responder state machine's actions on a channel: writes, timers, close, records.
final class ResponderHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPInboundLine
    typealias OutboundOut = ByteBuffer

    private var machine: ResponderStateMachine
    private let book: DeliveryBook
    private let connections: LockedBox<Int>
    private let logger: Logger
    private var counted = false
    private var timeoutTask: Scheduled<Void>?
    /// When the current stage times out; the scheduled check re-arms itself until then, so that
    /// moving the deadline on every line costs no cancel (NIO cancels by scanning its task queue).
    private var timeoutDeadline: NIODeadline?
    private var timeoutFiresAt: NIODeadline?
    /// Pending reply timers; fired ones are removed, so closing cancels only live ones.
    private var timers: [ResponderStateMachine.Timer: Scheduled<Void>] = [:]
    private var lastWrite: EventLoopFuture<Void>?

    init(machine: ResponderStateMachine, book: DeliveryBook, connections: LockedBox<Int>, logger: Logger) {
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
        if admitted {
            perform(machine.start(now: context.eventLoop.now), context: context)
        } else {
            logger.warning("connection limit reached", metadata: ["smtp.peer": "\(machine.peer)"])
            perform(machine.refuse(), context: context)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        perform(machine.receive(line, now: context.eventLoop.now), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(machine.peerClosed(now: context.eventLoop.now), context: context)
        // The pending timeout check is left to fire and find nothing to do: cancelling a NIO
        // scheduled task scans the loop's whole task queue, which adds up over thousands of sessions.
        timeoutTask = nil
        timeoutDeadline = nil
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

    private func scheduleTimeoutCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeoutFiresAt = deadline
        timeoutTask = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            handler.timeoutFiresAt = nil
            handler.timeoutTask = nil
            guard let deadline = handler.timeoutDeadline else { return }
            if context.eventLoop.now < deadline {
                handler.scheduleTimeoutCheck(at: deadline, context: context)
            } else {
                handler.timeoutDeadline = nil
                handler.perform(handler.machine.timeout(now: context.eventLoop.now), context: context)
            }
        }
    }

    private func perform(_ actions: [ResponderStateMachine.Action], context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        var wrote = false
        for action in actions {
            switch action {
            case .write(let text):
                let future = context.write(wrapOutboundOut(context.channel.allocator.buffer(string: text)))
                lastWrite = future
                wrote = true
            case .schedule(let timer, let milliseconds):
                let task = context.eventLoop.scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                    let (handler, context) = bound.value
                    handler.timers[timer] = nil
                    handler.perform(handler.machine.timerFired(timer, now: context.eventLoop.now), context: context)
                }
                timers[timer] = task
            case .armTimeout(let milliseconds):
                let deadline = context.eventLoop.now + .milliseconds(Int64(milliseconds))
                timeoutDeadline = deadline
                if let firesAt = timeoutFiresAt, firesAt <= deadline { break }
                timeoutTask?.cancel()
                scheduleTimeoutCheck(at: deadline, context: context)
            case .close:
                if wrote { context.flush(); wrote = false }
                timeoutDeadline = nil
                if let lastWrite {
                    lastWrite.whenComplete { _ in bound.value.1.close(promise: nil) }
                } else {
                    context.close(promise: nil)
                }
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
        if wrote { context.flush() }
    }
}
