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
    private var timers: [Scheduled<Void>] = []
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
        timeoutTask?.cancel()
        timers.forEach { $0.cancel() }
        timers = []
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
                    handler.perform(handler.machine.timerFired(timer, now: context.eventLoop.now), context: context)
                }
                timers.append(task)
                if timers.count > 8 { timers.removeFirst(timers.count - 8) }
            case .armTimeout(let milliseconds):
                timeoutTask?.cancel()
                timeoutTask = context.eventLoop.scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                    let (handler, context) = bound.value
                    handler.perform(handler.machine.timeout(now: context.eventLoop.now), context: context)
                }
            case .close:
                if wrote { context.flush(); wrote = false }
                timeoutTask?.cancel()
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
