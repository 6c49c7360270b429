/// The one list of behavioural checks, and which KBs each confirms in a run.
public enum CheckRegistry {
    /// Every known check. A new check is registered here (one line).
    public static let all: [any BehaviourCheck] = [SMTPDataMultilineCheck()]

    /// The check probe sessions belong to when none is named (sessions stored before checks had ids).
    public static var defaultCheck: any BehaviourCheck { all[0] }

    /// The check named `id`; nil when unknown.
    public static func check(_ id: CheckID) -> (any BehaviourCheck)? { all.first { $0.id == id } }

    /// Why a `--check-confirms` text could not be read.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// The reason with the offending text and, for an unknown check, the known ones.
        public var description: String
    }
}

/// Which KBs each check confirms in one assessment: the checks' defaults, with some replaced
/// (`smtp-data-multiline-354=KB912341,KB935683`). Probe evidence of a check is applied only to these KBs.
public struct CheckBindings: Sendable, Hashable {
    /// Per check, the KBs whose verdicts its outcomes may decide in this run (an empty set unbinds the check).
    public private(set) var confirms: [CheckID: Set<KBNumber>]

    /// Every registered check bound to its default KBs.
    public init() {
        confirms = [:]
        for check in CheckRegistry.all { confirms[check.id] = Set(check.defaultConfirms) }
    }

    /// The defaults with each `CHECK=KB,KB…` text replacing that check's KBs (an empty list unbinds it).
    public init(overrides: [String]) throws(CheckRegistry.ParseError) {
        self.init()
        for text in overrides {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let id = CheckID(rawValue: parts[0].trimmingSpaces().lowercased()) else {
                throw .init(description: "bad check binding '\(text)' (e.g. smtp-data-multiline-354=KB912341,KB935683)")
            }
            guard CheckRegistry.check(id) != nil else {
                let known = CheckRegistry.all.map(\.id.rawValue).joined(separator: ", ")
                throw .init(description: "unknown check '\(id)' in '\(text)' (known: \(known))")
            }
            var kbs = Set<KBNumber>()
            for item in parts[1].split(separator: ",") where !item.trimmingSpaces().isEmpty {
                guard let kb = KBNumber(item) else { throw .init(description: "bad KB '\(item)' in '\(text)'") }
                kbs.insert(kb)
            }
            confirms[id] = kbs
        }
    }

    /// The checks whose evidence applies to `kb`, in id order.
    public func checks(confirming kb: KBNumber) -> [CheckID] {
        confirms.filter { $0.value.contains(kb) }.keys.sorted()
    }
}
