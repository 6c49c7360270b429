/// Header words of localized file tables, per column, for the languages Microsoft published
/// bulletins in (German, Spanish, French, Italian, Portuguese, Dutch, Russian, Japanese, Chinese,
/// Korean, and Polish, Czech, Turkish, Swedish, Danish, Norwegian, Finnish, Hungarian). Keys are normalised like ``Column/init(header:)``: lowercased, letters and digits only,
/// so `\[版本\]`, `Größe` and `Имя файла` become `版本`, `größe` and `имяфайла`.
enum HeaderSynonyms {
    static let table: [Column: [String]] = [
        .fileName: [
            "dateiname", "datei", "dateinamen",                                  // de
            "nombredearchivo", "nombredelarchivo", "archivo", "nombre",          // es
            "nomdefichier", "nomdufichier", "fichier", "nom",                    // fr
            "nomefile", "nomedelfile", "file",                                   // it
            "nomedoarquivo", "nomedoficheiro", "arquivo", "ficheiro",            // pt
            "bestandsnaam", "bestandnaam", "bestand",                            // nl
            "имяфайла", "файл", "названиефайла",                                 // ru
            "ファイル名", "ファイル",                                             // ja
            "檔案名稱", "檔名", "文件名", "文件名称", "檔案",                      // zh
            "파일이름", "파일명",                                                 // ko
            "nazwapliku", "plik", "názevsouboru", "soubor", "dosyaadı", "dosya",  // pl, cs, tr
            "filnamn", "filnavn", "tiedostonimi", "tiedosto", "fájlnév", "fájl",  // sv, da/nb, fi, hu
            "filenameandpath", "filenamepath",                                   // en: `File name and path`
        ],
        .version: [
            "dateiversion", "versión", "versióndearchivo", "versióndelarchivo", "versiondufichier",
            "versione", "versão", "versãodoarquivo", "versie", "bestandsversie",
            "версия", "версияфайла", "バージョン", "ファイルバージョン", "版本", "檔案版本", "文件版本", "버전",
            "wersja", "verze", "sürüm", "versiyon", "versjon", "versio", "verzió",
        ],
        .size: [
            "größe", "grösse", "dateigröße", "tamaño", "tamañodearchivo", "taille", "tailledufichier",
            "dimensione", "dimensioni", "tamanho", "grootte", "bestandsgrootte",
            "размер", "размерфайла", "サイズ", "ファイルサイズ", "大小", "檔案大小", "文件大小", "크기",
            "rozmiar", "velikost", "boyut", "storlek", "størrelse", "koko", "méret",
        ],
        .date: ["datum", "fecha", "data", "dataultimamodifica", "дата", "日付", "日期", "날짜", "tarih", "dato", "päivämäärä", "dátum"],
        .time: ["uhrzeit", "zeit", "hora", "heure", "ora", "tijd", "время", "時刻", "時間", "时间", "시간",
                "godzina", "czas", "čas", "saat", "tid", "klokkeslæt", "klokkeslett", "tidspunkt", "aika", "idő"],
        .platform: [
            "plattform", "plataforma", "plateforme", "piattaforma", "платформа", "процессор",
            "プラットフォーム", "平台", "處理器", "处理器", "플랫폼", "platforma", "alusta", "suoritin",
        ],
        .folder: [
            "folder", "subfolder", "directory", "path", "destinationfolder", "ordner", "pfad", "carpeta", "ruta",
            "dossier", "chemin", "cartella", "percorso", "pasta", "caminho", "map", "папка", "путь",
            "フォルダ", "フォルダー", "資料夾", "文件夹", "폴더", "katalog", "složka", "klasör", "mapp", "mappe", "kansio", "mappa",
        ],
        .product: ["produkt", "producto", "produit", "prodotto", "produto", "продукт", "製品", "產品", "产品"],
    ]

    /// Key → column, built once from ``table``.
    static let byKey: [String: Column] = {
        var map: [String: Column] = [:]
        for (column, keys) in table { for key in keys { map[key] = column } }
        return map
    }()

    /// Unit and zone suffixes headers carry: `Fecha (UTC)`, `Größe (Bytes)`, `Размер (байт)`.
    static let suffixes = ["utc", "gmt", "bytes", "byte", "octets", "байт", "байтов", "バイト"]

    /// The column a normalised header key names, also with a unit or zone suffix; nil when unknown.
    static func column(forKey key: String) -> Column? {
        if let column = byKey[key] { return column }
        for suffix in suffixes where key.hasSuffix(suffix) && key.count > suffix.count {
            if let column = byKey[String(key.dropLast(suffix.count))] ?? Column.english(String(key.dropLast(suffix.count))) { return column }
        }
        return nil
    }
}
