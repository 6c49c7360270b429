-- The reference for `assess`: the file verdict of every host × KB computed by one hand-written
-- query in the sqlite3 CLI over the same store, inserted into a table (as assess stores its results).
-- Versions compare as one 64-bit integer (four 16-bit parts); rows apply by product and platform.
CREATE TABLE ref_verdict (host_id INTEGER NOT NULL, kb_number INTEGER NOT NULL, verdict TEXT NOT NULL,
                          PRIMARY KEY (host_id, kb_number)) WITHOUT ROWID;
INSERT INTO ref_verdict
WITH applicable AS (
    SELECT h.id AS host_id, m.kb_number,
           max(((f.v_major << 48) | (f.v_minor << 32) | (f.v_build << 16) | f.v_revision)
             < ((m.v_major << 48) | (m.v_minor << 32) | (m.v_build << 16) | m.v_revision)) AS older
    FROM host h
    JOIN manifest_row m ON m.product = h.product AND m.platform = h.platform AND m.is_wow = 0
    JOIN file_ref r ON r.file_key = m.file_key
    JOIN host_file f ON f.host_id = h.id AND f.ref_id = r.id
    GROUP BY h.id, m.kb_number
)
SELECT h.id, k.number,
       CASE
           WHEN h.product IS NULL THEN 'unknown'
           WHEN NOT EXISTS (SELECT 1 FROM manifest_row p WHERE p.kb_number = k.number AND p.product = h.product) THEN 'not-applicable'
           WHEN h.platform IS NULL OR h.sp_level IS NULL THEN 'unknown'
           WHEN a.host_id IS NULL THEN 'not-applicable'
           WHEN h.sp_level < coalesce(k.prerequisite_sp, 0) THEN 'prerequisite-missing'
           WHEN a.older THEN 'vulnerable'
           ELSE 'patched'
       END
FROM host h CROSS JOIN kb k
LEFT JOIN applicable a ON a.host_id = h.id AND a.kb_number = k.number;
