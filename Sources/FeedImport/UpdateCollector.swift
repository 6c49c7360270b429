import AuditCore

/// Collects updates by (KB, product) so that a KB listed once per CVE is one entry with one merged list.
struct UpdateCollector {
    private var order: [UpdateKey] = []
    private var entries: [UpdateKey: SecurityUpdate] = [:]

    struct UpdateKey: Hashable {
        var kb: KBNumber
        var product: String
    }

    mutating func add(_ update: SecurityUpdate) {
        let key = UpdateKey(kb: update.kb, product: update.product.name)
        guard var existing = entries[key] else {
            order.append(key)
            entries[key] = update
            return
        }
        for kb in update.supersedes where !existing.supersedes.contains(kb) { existing.supersedes.append(kb) }
        for other in update.supersededOther where !existing.supersededOther.contains(other) { existing.supersededOther.append(other) }
        existing.subtype = existing.subtype ?? update.subtype
        existing.restart = existing.restart ?? update.restart
        existing.released = existing.released ?? update.released
        entries[key] = existing
    }

    var updates: [SecurityUpdate] { order.compactMap { entries[$0] } }
}

/// `2017-03-14T07:00:00Z` or `20170314` → `2017-03`; nil for anything else.
func releaseMonth(_ text: some StringProtocol) -> String? {
    let digits = text.trimmingSpaces().prefix(10).filter { $0 != "-" }
    guard digits.count >= 6, digits.prefix(6).allSatisfy({ $0.isASCII && $0.isNumber }),
          let month = Int(digits.dropFirst(4).prefix(2)), (1...12).contains(month) else { return nil }
    return "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))"
}
