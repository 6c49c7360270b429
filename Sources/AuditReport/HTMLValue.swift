import Mustache

/// A text value for the HTML templates. Rendered through ``MustacheCustomRenderable`` so the
/// template engine still escapes it, but without reflecting over every value (much faster for
/// fleet-sized reports).
struct HTMLValue: MustacheCustomRenderable {
    let renderText: String
    var isNull: Bool { false }

    /// The view with every string (also inside arrays and nested views) wrapped.
    static func wrap(_ value: Any) -> Any {
        switch value {
        case let text as String: return HTMLValue(renderText: text)
        case let view as [String: Any]: return view.mapValues(wrap)
        case let list as [[String: Any]]: return list.map { $0.mapValues(wrap) }
        case let list as [String]: return list.map { HTMLValue(renderText: $0) }
        default: return value
        }
    }
}
