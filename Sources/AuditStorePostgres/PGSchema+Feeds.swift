extension PGSchema {
    /// Vendor feeds (MSRC CVRF, WES-NG), as the SQLite store's `2026-12-01-feeds`: the source file with its
    /// SHA-256, the updates it lists per product, the supersedence lists, the vulnerabilities, and which
    /// update fixes which CVE. Every row hangs off its `feed_source` (ON DELETE CASCADE), so re-importing a
    /// file replaces exactly its rows. SQLite's GLOB patterns are anchored regular expressions here (a
    /// trailing `*` is an unanchored end); its 0/1 flags are booleans; REAL is `double precision`.
    static let v6 = """
        CREATE TABLE feed_source (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            path text NOT NULL UNIQUE CHECK (path <> ''),
            sha256 text NOT NULL CHECK (length(sha256) = 64),
            format text NOT NULL CHECK (format IN ('cvrf', 'wesng')),
            document_id text,
            title text,
            released text CHECK (released IS NULL OR released ~ '^[0-9]{4}-[01][0-9]$'),
            imported_at text NOT NULL,
            update_count integer NOT NULL CHECK (update_count >= 0),
            vulnerability_count integer NOT NULL CHECK (vulnerability_count >= 0),
            remediation_count integer NOT NULL CHECK (remediation_count >= 0)
        );
        CREATE INDEX feed_source_by_sha256 ON feed_source(sha256);

        CREATE TABLE feed_update (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source_id bigint NOT NULL REFERENCES feed_source(id) ON DELETE CASCADE,
            kb_number integer NOT NULL CHECK (kb_number > 0),
            product_name text NOT NULL CHECK (product_name <> ''),
            product text NOT NULL CHECK (product <> ''),
            platform text CHECK (platform IS NULL OR platform IN ('x86', 'x64', 'IA-64', 'Alpha')),
            service_pack integer CHECK (service_pack IS NULL OR service_pack BETWEEN 0 AND 99),
            subtype text CHECK (subtype IS NULL OR subtype <> ''),
            restart text CHECK (restart IS NULL OR restart IN ('yes', 'no', 'maybe')),
            released text CHECK (released IS NULL OR released ~ '^[0-9]{4}-[01][0-9]$'),
            superseded_other text NOT NULL DEFAULT '',
            UNIQUE (source_id, kb_number, product_name)
        );
        CREATE INDEX feed_update_by_kb ON feed_update(kb_number);

        CREATE TABLE feed_supersedence (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            update_id bigint NOT NULL REFERENCES feed_update(id) ON DELETE CASCADE,
            kb_number integer NOT NULL CHECK (kb_number > 0),
            superseded_kb integer NOT NULL CHECK (superseded_kb > 0 AND superseded_kb <> kb_number),
            UNIQUE (update_id, superseded_kb)
        );
        CREATE INDEX feed_supersedence_by_superseded ON feed_supersedence(superseded_kb);
        CREATE INDEX feed_supersedence_by_kb ON feed_supersedence(kb_number);

        CREATE TABLE feed_vulnerability (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source_id bigint NOT NULL REFERENCES feed_source(id) ON DELETE CASCADE,
            cve text NOT NULL CHECK (cve ~ '^CVE-[0-9]{4}-[0-9]{4}' OR cve ~ '^ADV[0-9]{6}$'),
            title text,
            severity text CHECK (severity IS NULL OR severity IN ('Low', 'Moderate', 'Important', 'Critical')),
            cvss double precision CHECK (cvss IS NULL OR cvss BETWEEN 0 AND 10),
            exploited boolean,
            disclosed boolean,
            UNIQUE (source_id, cve)
        );
        CREATE INDEX feed_vulnerability_by_cve ON feed_vulnerability(cve);

        CREATE TABLE feed_remediation (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            vulnerability_id bigint NOT NULL REFERENCES feed_vulnerability(id) ON DELETE CASCADE,
            update_id bigint NOT NULL REFERENCES feed_update(id) ON DELETE CASCADE,
            severity text CHECK (severity IS NULL OR severity IN ('Low', 'Moderate', 'Important', 'Critical')),
            cvss double precision CHECK (cvss IS NULL OR cvss BETWEEN 0 AND 10),
            UNIQUE (vulnerability_id, update_id)
        );
        CREATE INDEX feed_remediation_by_update ON feed_remediation(update_id);
        """
}
