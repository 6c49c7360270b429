/// Building blocks shared by every importer (manifests, inventories, feeds): one text decoder
/// (BOMs, UTF-16, OEM code pages), one CSV reader, and one set of field parsers (sizes, dates with
/// localized month names, versions). Each importer's formats are built from these, so a quirk
/// learnt for one format (a no-break-space thousands separator, a CP850 export) holds for all.
public enum ImportSupport {}
