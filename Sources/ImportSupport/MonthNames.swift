/// Month names and abbreviations in the languages of Microsoft's localized articles: English, German,
/// Spanish, French, Italian, Portuguese, Dutch, Russian (nominative and genitive), Polish, Czech,
/// Turkish, Swedish, Danish, Norwegian and Hungarian (Finnish month names would make `mar` ambiguous). A token names a
/// month when it is a full name, a listed abbreviation, or a prefix of at least three letters that
/// only one month's names start with (`Mär`, `Sept`, `Abr`, `апр`, `JUL`); `Ju` or `ma` name none.
public enum MonthNames {
    /// Names per month (index 0 = January), lowercased; accents are also matched without them.
    static let names: [[String]] = [
        ["january", "januar", "jänner", "enero", "janvier", "gennaio", "janeiro", "januari", "январь", "января", "styczeń", "stycznia", "sty", "leden", "led", "ocak", "oca", "januar"],
        ["february", "februar", "febrero", "février", "febbraio", "fevereiro", "februari", "февраль", "февраля", "luty", "lutego", "lut", "únor", "úno", "şubat", "şub", "februar", "febr"],
        ["march", "märz", "marzo", "mars", "março", "maart", "mrz", "mrt", "март", "марта", "marzec", "marca", "březen", "bře", "mart", "marts", "mars", "márc"],
        ["april", "abril", "avril", "aprile", "апрель", "апреля", "kwiecień", "kwietnia", "kwi", "duben", "dub", "nisan", "nis", "ápr"],
        ["may", "mai", "mayo", "maggio", "maio", "mei", "май", "мая", "maj", "maja", "květen", "kvě", "mayıs", "máj"],
        ["june", "juni", "junio", "juin", "giugno", "junho", "июнь", "июня", "czerwiec", "czerwca", "cze", "červen", "čer", "haziran", "haz", "jún"],
        ["july", "juli", "julio", "juillet", "luglio", "julho", "июль", "июля", "lipiec", "lipca", "lip", "červenec", "čvc", "temmuz", "tem", "júl"],
        ["august", "agosto", "août", "augustus", "август", "августа", "sierpień", "sierpnia", "sie", "srpen", "srp", "ağustos", "ağu"],
        ["september", "septiembre", "septembre", "settembre", "setembro", "сентябрь", "сентября", "wrzesień", "września", "wrz", "září", "zář", "eylül", "eyl", "szept"],
        ["october", "oktober", "octubre", "octobre", "ottobre", "outubro", "октябрь", "октября", "październik", "października", "paź", "říjen", "říj", "ekim", "eki"],
        ["november", "noviembre", "novembre", "novembro", "ноябрь", "ноября", "listopad", "listopada", "lis", "kasım", "kas"],
        ["december", "dezember", "diciembre", "décembre", "dicembre", "dezembro", "декабрь", "декабря", "grudzień", "grudnia", "gru", "prosinec", "pro", "aralık", "ara", "desember", "des"],
    ]

    /// Every name and every unambiguous prefix of at least three letters → month (1…12), accents also
    /// removed (`fevrier`, `marz`, `aout`); built once, so a date costs one lookup.
    static let lookup: [String: Int] = {
        var exact: [String: Int] = [:]
        var prefixes: [String: Int] = [:]   // 0 = several months
        for (index, forms) in names.enumerated() {
            for form in Set(forms + forms.map(strippingAccents)) {
                exact[form] = index + 1
                var prefix = ""
                for character in form {
                    prefix.append(character)
                    guard prefix.count >= 3, prefix.count < form.count else { continue }
                    if let month = prefixes[prefix], month != index + 1 { prefixes[prefix] = 0 } else { prefixes[prefix] = index + 1 }
                }
            }
        }
        // An exact name wins over prefixes of other months' names.
        return prefixes.filter { $0.value != 0 }.merging(exact) { _, exact in exact }
    }()

    /// The month (1…12) a word names, or nil when it names none or several.
    public static func month(_ token: some StringProtocol) -> Int? {
        var word = token.lowercased()
        if !word.utf8.allSatisfy({ $0 < 0x80 }) { word = strippingAccents(word) }
        while word.last == "." { word.removeLast() }
        guard word.count >= 3 else { return nil }
        return lookup[word]
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
