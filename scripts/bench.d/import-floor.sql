-- "Schema floor" for import (INFO): the sqlite3 CLI moving the plain `fleet` table (already imported
-- by .import) into hotfix-audit's own schema — same tables, keys, CHECKs and foreign keys — in one
-- transaction, with SQL only. What no importer with this schema can beat on this machine, parsing aside.
PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
ATTACH 'REF_DB' AS ref;
BEGIN;
INSERT INTO host (name, name_key, short_key, address, product, sp_level, platform, sources, last_seen)
SELECT host, lower(host), lower(host), min(address), min(product),
       CASE min(service_pack) WHEN 'RTM' THEN 0 WHEN 'SP1' THEN 1 WHEN 'SP2' THEN 2 END,
       nullif(min(arch), ''), 'fleet-csv', '2026-01-01T00:00:00Z'
FROM ref.fleet GROUP BY host ORDER BY min(rowid);
INSERT INTO file_ref (source, path, file_name, file_key)
SELECT DISTINCT 'fleet-csv', path, file, lower(file) FROM ref.fleet;
INSERT INTO host_file (host_id, seq, ref_id, v_major, v_minor, v_build, v_revision, version_text)
SELECT h.id, row_number() OVER (PARTITION BY h.id ORDER BY f.rowid) - 1, r.id,
       CAST(f.version AS INTEGER),
       CAST(substr(f.version, instr(f.version, '.') + 1) AS INTEGER),
       CAST(substr(substr(f.version, instr(f.version, '.') + 1), instr(substr(f.version, instr(f.version, '.') + 1), '.') + 1) AS INTEGER),
       CAST(replace(f.version, rtrim(f.version, '0123456789'), '') AS INTEGER),
       NULL
FROM ref.fleet f JOIN host h ON h.name_key = lower(f.host)
JOIN file_ref r ON r.source = 'fleet-csv' AND r.path = f.path AND r.file_name = f.file
ORDER BY h.id, f.rowid;
INSERT INTO installed_hotfix (host_id, kb_number, source)
SELECT h.id, CAST(substr(f.hotfix, 3) AS INTEGER), 'fleet-csv'
FROM ref.fleet f JOIN host h ON h.name_key = lower(f.host) WHERE f.hotfix <> '' ORDER BY f.rowid
ON CONFLICT DO NOTHING;
COMMIT;
