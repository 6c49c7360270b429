/// Month names and abbreviations in the languages of Microsoft's localized articles: English, German,
/// Spanish, French, Italian, Portuguese, Dutch and Russian (nominative and genitive). A token names a
/// month when it is a full name, a listed abbreviation, or a prefix of at least three letters that
/// only one month's names start with (`Mär`, `Sept`, `Abr`, `апр`, `JUL`); `Ju` or `ma` name none.
public enum MonthNames {
    /// Names per month (index 0 = January), lowercased; accents are also matched without them.
    static let names: [[String]] = [
        ["january", "januar", "jänner", "enero", "janvier", "gennaio", "janeiro", "januari", "январь", "января"],
        ["february", "februar", "febrero", "février", "febbraio", "fevereiro", "februari", "февраль", "февраля"],
        ["march", "märz", "marzo", "mars", "março", "maart", "mrz", "mrt", "март", "марта"],
        ["april", "abril", "avril", "aprile", "апрель", "апреля"],
        ["may", "mai", "mayo", "maggio", "maio", "mei", "май", "мая"],
        ["june", "juni", "junio", "juin", "giugno", "junho", "июнь", "июня"],
        ["july", "juli", "julio", "juillet", "luglio", "julho", "июль", "июля"],
        ["august", "agosto", "août", "augustus", "август", "августа"],
        ["september", "septiembre", "septembre", "settembre", "setembro", "сентябрь", "сентября"],
        ["october", "oktober", "octubre", "octobre", "ottobre", "outubro", "октябрь", "октября"],
        ["november", "noviembre", "novembre", "novembro", "ноябрь", "ноября"],
        ["december", "dezember", "diciembre", "décembre", "dicembre", "dezembro", "декабрь", "декабря"],
    ]

    /// Every name also without its accents (`fevrier`, `marz`, `aout`), so both spellings match.
    static let folded: [[String]] = names.map { forms in
        var all = forms
        for form in forms { let plain = strippingAccents(form); if !all.contains(plain) { all.append(plain) } }
        return all
    }

    /// The month (1…12) a word names, or nil when it names none or several.
    public static func month(_ token: some StringProtocol) -> Int? {
        var word = strippingAccents(token.lowercased())
        while word.last == "." { word.removeLast() }
        guard word.count >= 3, word.allSatisfy(\.isLetter) else { return nil }
        // An exact name wins over prefixes of other months' names.
        if let exact = folded.firstIndex(where: { $0.contains(word) }) { return exact + 1 }
        var found: Int?
        for (index, forms) in folded.enumerated() where forms.contains(where: { $0.hasPrefix(word) }) {
            if found != nil { return nil }
            found = index + 1
        }
        return found
    }

    /// Lowercase Latin letters with their accent removed (the few that month names use).
    static func strippingAccents(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "á", "à", "â", "ä", "ã": result.append("a")
            case "é", "è", "ê", "ë": result.append("e")
            case "í", "ì", "î", "ï": result.append("i")
            case "ó", "ò", "ô", "ö", "õ": result.append("o")
            case "ú", "ù", "û", "ü": result.append("u")
            case "ç": result.append("c")
            case "ñ": result.append("n")
            default: result.append(character)
            }
        }
        return result
    }
}
