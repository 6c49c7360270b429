import AuditCore
import Foundation
import Testing
@testable import InventoryImport

/// A fixed-width table the way wmic pads it: each column as wide as its widest cell plus two spaces.
private func wmicTable(_ rows: [[String]], header: [String], lineEnd: String = "\r\r\n") -> String {
    let widths = header.indices.map { column in ([header[column]] + rows.map { $0[column] }).map(\.count).max()! + 2 }
    func line(_ cells: [String]) -> String {
        zip(cells, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined() + lineEnd
    }
    return line(header) + rows.map(line).joined()
}

private let qfeHeader = ["Caption", "CSName", "Description", "FixComments", "HotFixID", "InstallDate", "InstalledBy",
                         "InstalledOn", "Name", "ServicePackInEffect", "Status"]

@Test func wmicTableWithGluedBannerAndDoubleCRReadsEveryRow() throws {
    let rows = [
        ["", "XP1", "", "", "File 1", "", "", "", "", "KB2115168", ""],
        ["", "XP1", "Windows Installer 3.1 (KB893803)", "Update", "KB893803v2", "", "User", "", "", "SP3", ""],
        ["", "XP1", "", "", "Q147222", "", "", "", "", "", ""],
        ["", "XP1", "", "", "File 1", "", "", "", "", "", ""],
    ]
    let text = "Please wait while WMIC is being installed." + wmicTable(rows, header: qfeHeader) + "\r\n\r\n"
    let bytes: [UInt8] = [0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    var out: [InventoryRecord] = []
    let format = try InventoryReader.read(bytes: bytes, fileName: "q.txt", options: InventoryReadOptions()) { out.append($0) }
    #expect(format == .wmicQfe)
    #expect(out.hotfixes.map(\.kb) == [KBNumber(2115168), KBNumber(893803), KBNumber(147222)])
    #expect(out.hotfixes.allSatisfy { $0.host == "XP1" })
    #expect(out.rawHotfixes == [RawHotfixEntry(host: "XP1", text: "File 1", line: 5)])
    #expect(out.warnings.map(\.description) == ["q.txt:5: warning: hotfix entry 'File 1' names no KB number; kept as text"])
}

@Test func wmicCellsShiftedByWideTextAreAlignedToTheNearestColumns() throws {
    let header = "Caption                                     CSName  Description  FixComments  HotFixID   InstallDate  InstalledBy                               InstalledOn  Name  ServicePackInEffect  Status  \r\n"
    // The InstalledBy cell is shorter in characters than the column was padded for (as in a re-encoded capture).
    let row = "http://support.microsoft.com/?kbid=2919355  DC      Update                    KB2919355               TEST_dc\\Админ  3/18/2014                                       \r\n"
    let out = try records("cat q\r\n" + header + row, file: "dc-qfe.txt")
    #expect(out.hotfixes == [InstalledHotfix(host: "DC", kb: KBNumber(2919355), installedOn: "3/18/2014")])
}

@Test func wmicQfeListFullBlocksReadLikeRows() throws {
    let block = { (id: String, caption: String) in
        "\r\n\r\nCaption=\(caption)\r\nCSName=WIN7\r\nDescription=Update\r\nFixComments=\r\nHotFixID=\(id)\r\nInstallDate=\r\nInstalledBy=WIN7\\User\r\nInstalledOn=5/22/2015\r\nName=\r\nServicePackInEffect=\r\nStatus=\r\n"
    }
    let text = block("KB2534111", "http://support.microsoft.com/?kbid=2534111") + block("File 1", "http://support.microsoft.com/?kbid=976902")
    let (format, out) = (try InventoryReader.detect(TextInput(raw: RawSource(bytes: Array(text.utf8), fileName: "l.txt"))), try records(text, file: "l.txt"))
    #expect(format == .wmicQfe)
    #expect(out.hotfixes.map(\.kb) == [KBNumber(2534111), KBNumber(976902)])
    #expect(out.hotfixes.first?.installedOn == "5/22/2015")
}

@Test func wmicFormatCSVReadsAsGetHotFixCSVWithTheNodeAsHost() throws {
    let text = "\r\r\nNode,Caption,CSName,Description,FixComments,HotFixID,InstallDate,InstalledBy,InstalledOn,Name,ServicePackInEffect,Status\r\r\n"
        + "SRV2,http://support.microsoft.com/?kbid=2894852,SRV2,Security Update,,KB2894852,,NT AUTHORITY\\SYSTEM,3/17/2019,,,\r\r\n"
    let bytes: [UInt8] = [0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    var out: [InventoryRecord] = []
    let format = try InventoryReader.read(bytes: bytes, fileName: "x.csv", options: InventoryReadOptions()) { out.append($0) }
    #expect(format == .psHotfixCSV)
    #expect(out.hotfixes == [InstalledHotfix(host: "SRV2", kb: KBNumber(2894852), installedOn: "3/17/2019")])
}

@Test func getHotFixCSVFromPowerShell51And7KeepsPlaceholdersAsText() throws {
    let rows = "\"WEB4\",\"Update\",\"KB912341\",\"3/25/2006 12:00:00 AM\"\n\"WEB4\",\"Update\",\"File 1\",\"\"\n"
    let ps51 = "#TYPE System.Management.ManagementObject#root\\cimv2\\Win32_QuickFixEngineering\n\"PSComputerName\",\"Description\",\"HotFixID\",\"InstalledOn\"\n" + rows
    let ps7 = "\"PSComputerName\",\"Description\",\"HotFixID\",\"InstalledOn\"\n" + rows
    for text in [ps51, ps7] {
        let out = try records(text, file: "h.csv")
        #expect(out.hotfixes == [InstalledHotfix(host: "WEB4", kb: KBNumber(912341), installedOn: "3/25/2006 12:00:00 AM")])
        #expect(out.rawHotfixes.map(\.text) == ["File 1"])
        #expect(out.warnings.count == 1)
    }
}

@Test func wmicTableWithoutHostRefusesNamingHostOption() throws {
    let text = wmicTable([["Update", "", "KB4462930", "", "NT AUTHORITY\\SYSTEM", "3/2/2019", "", "", ""]],
                         header: Array(qfeHeader.dropFirst(2)), lineEnd: "\r\n")
    #expect(importError(text, file: "capture.txt") == ImportError(file: "capture.txt", line: 2,
                                                                  reason: "no host name (no CSName column, no HOST-qfe file name); pass --host NAME"))
    #expect(try records(text, file: "desk1_qfe.txt").hotfixes.map(\.host) == ["desk1"])
    #expect(try records(text, file: "capture.txt", host: "desk2").hotfixes.map(\.host) == ["desk2"])
}

@Test func emptyWmicCaptureIsRefused() {
    #expect(importError(bytes: [0xFF, 0xFE, 0x0D, 0x00, 0x0A, 0x00], file: "e.txt")?.reason == "empty file (only white space)")
}

@Test func updateListNeedsAHostAndReadsEachKBOnce() throws {
    let text = "KB2483139: Latvian Language Pack (KB2483139)\r\nKB2483139: Czech Language Pack (KB2483139)\r\nKB976902: Update for Windows (KB976902)\r\n"
    #expect(importError(text, file: "list.txt") == ImportError(file: "list.txt", line: 1, reason: "an update list does not name its host; pass --host NAME"))
    let out = try records(text, file: "list.txt", host: "pc1")
    #expect(out.hotfixes.map(\.kb) == [KBNumber(2483139), KBNumber(976902)])
    #expect(try records(text, file: "pc2-updates.txt").hotfixes.first?.host == "pc2")
}

@Test func detectionOrderLivesInOneRegistry() {
    #expect(InventoryFormatRegistry.specs.map(\.format) == [.ovalSystemCharacteristics, .osqueryJSON, .psVersionInfoCSV, .psHotfixCSV,
                                                             .systeminfoCSV, .wmicQfe, .systeminfoList, .updateList, .fleetCSV])
    #expect(Set(InventoryFormatRegistry.specs.map(\.format)) == Set(InventoryFormat.allCases))
}

@Test func powerShellGetHotFixTableAndListPrintoutsRead() throws {
    let table = "\r\nSource        Description      HotFixID      InstalledBy          InstalledOn\r\n"
        + "------        -----------      --------      -----------          -----------\r\n"
        + "WIN10A        Update           KB4462930     NT AUTHORITY\\SYSTEM  3/2/2019 12:00:00 AM\r\n"
        + "WIN10A        Security Update  KB4485449     NT AUTHORITY\\SYSTEM  3/2/2019 12:00:00 AM\r\n\r\n"
    let tableOut = try records(table, file: "t.txt")
    #expect(tableOut.hotfixes.map(\.kb) == [KBNumber(4462930), KBNumber(4485449)])
    #expect(tableOut.hotfixes.first?.host == "WIN10A")
    #expect(tableOut.hotfixes.first?.installedOn == "3/2/2019 12:00:00 AM")
    #expect(tableOut.warnings.isEmpty)
    let list = "\r\nSource      : WIN10B\r\nDescription : Update\r\nHotFixID    : KB4462930\r\nInstalledOn : 3/2/2019 12:00:00 AM\r\n\r\n"
        + "Source      : WIN10B\r\nDescription : Update\r\nHotFixID    : KB4485449\r\nInstalledOn : 3/2/2019 12:00:00 AM\r\n"
    let listOut = try records(list, file: "l.txt")
    #expect(listOut.hotfixes.map(\.kb) == [KBNumber(4462930), KBNumber(4485449)])
    #expect(listOut.hotfixes.allSatisfy { $0.host == "WIN10B" })
}

@Test func singleColumnWmicGetReadsWithAHost() throws {
    let text = "HotFixID   \r\r\nKB2534111  \r\r\nKB976902   \r\r\n\r\r\n"
    #expect(try records(text, file: "c.txt", host: "w7").hotfixes.map(\.kb) == [KBNumber(2534111), KBNumber(976902)])
}

@Test(.timingSensitive) func hostileConsoleInputsAreRefusedOrReadQuickly() throws {
    let started = ContinuousClock.now
    let wide = "HotFixID" + String(repeating: "  a", count: 50_000) + "\n" + String(repeating: "b  ", count: 25_000) + "\n"
    #expect(importError(wide, file: "w.txt")?.reason == "wmic header with more than 64 columns")
    let packed = "\"Host Name\",\"OS Name\",\"Hotfix(s)\"\n\"H\",\"W\",\"1 x" + String(repeating: ",[", count: 100_000) + "\"\n"
    _ = try records(packed, file: "p.csv")
    let labels = String(repeating: "a:  " + String(repeating: ":", count: 2000) + "\n", count: 500)
    _ = importError(labels, file: "l.txt")
    #expect(ContinuousClock.now - started < .seconds(10))
}

@Test func wmicRowWithADoubleSpaceInsideAValueStillReads() throws {
    let header = "Caption  CSName  Description                     FixComments  HotFixID   InstalledOn  \r\n"
    let row = "         PC9     Security Update  for Windows XP               KB958644   1/2/2009     \r\n"
    let out = try records(header + row, file: "q.txt")
    #expect(out.hotfixes == [InstalledHotfix(host: "PC9", kb: KBNumber(958644), installedOn: "1/2/2009")])
}

@Test func updateTitlesAndFindKBLinesAreUpdateLists() throws {
    let titles = "2019-03 Cumulative Update for Windows 10 Version 1809 for x64-based Systems (KB4489899)\r\n"
        + "Security Update for Windows 7 for x64-based Systems (KB2479943)\r\n"
    let (format, out) = try (InventoryReader.detect(TextInput(raw: RawSource(bytes: Array(titles.utf8), fileName: "h.txt"))), records(titles, file: "h.txt", host: "pc"))
    #expect(format == .updateList)
    #expect(out.hotfixes.map(\.kb) == [KBNumber(4489899), KBNumber(2479943)])
    let found = "                           [01]: KB2534111\r\n                           [02]: KB976902\r\n"
    #expect(try records(found, file: "pc3-updates.txt").hotfixes.map(\.kb) == [KBNumber(2534111), KBNumber(976902)])
}
