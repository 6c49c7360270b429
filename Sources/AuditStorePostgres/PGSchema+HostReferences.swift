extension PGSchema {
    /// `host_file` and `installed_hotfix` rows name their host through a check run once per statement
    /// instead of a foreign key checked once per row.
    ///
    /// An inventory import inserts a million `host_file` rows in one statement, and PostgreSQL checks
    /// a foreign key with one index probe and one row lock per inserted row: measured on the bench fleet,
    /// 10 of the 13 seconds of that statement. The statement-level triggers below keep the foreign key's
    /// guarantees with set-based work:
    /// - an `INSERT` or `UPDATE` whose rows name a host that does not exist fails with SQLSTATE 23503
    ///   (`foreign_key_violation`), as the foreign key did;
    /// - the named hosts are locked `FOR KEY SHARE` (what the foreign key's check locks), so a concurrent
    ///   delete of one waits for the inserting transaction, and a host deleted first is seen as missing;
    ///   a statement naming more than 10,000 hosts (an import) in a READ COMMITTED transaction locks the
    ///   `host` table in SHARE mode instead, which an import's own lock on it includes anyway;
    /// - deleting hosts deletes their rows (`ON DELETE CASCADE`), truncating `host` truncates both
    ///   tables, and a host id never changes.
    ///
    /// `host_file.ref_id` had no foreign key (the import took every id from `file_ref` in the statement
    /// that inserted the rows); the import now allocates path ids itself, so the same kind of check is
    /// added for it: a row naming a path id `file_ref` lacks fails with 23503, and a referenced path
    /// cannot be deleted.
    ///
    /// The other tables keep their foreign keys: none of them takes rows in such numbers.
    static let v7 = """
        ALTER TABLE host_file DROP CONSTRAINT host_file_host_id_fkey;
        ALTER TABLE installed_hotfix DROP CONSTRAINT installed_hotfix_host_id_fkey;

        CREATE FUNCTION host_reference_check() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            wanted bigint;
            found bigint;
            missing bigint;
        BEGIN
            SELECT count(*) INTO wanted FROM (SELECT DISTINCT host_id FROM new_rows) d;
            IF wanted = 0 THEN
                RETURN NULL;
            END IF;
            IF wanted > 10000 AND current_setting('transaction_isolation') = 'read committed' THEN
                -- An import's statement: one table lock instead of a lock on each of its hosts. The
                -- count below runs on a snapshot taken after the lock, so it sees every committed delete.
                LOCK TABLE host IN SHARE MODE;
                SELECT count(*) INTO found FROM host h WHERE h.id IN (SELECT host_id FROM new_rows);
            ELSE
                SELECT count(*) INTO found
                FROM (SELECT 1 FROM host h WHERE h.id IN (SELECT host_id FROM new_rows) FOR KEY SHARE OF h) l;
            END IF;
            IF found <> wanted THEN
                SELECT min(n.host_id) INTO missing FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM host h WHERE h.id = n.host_id);
                RAISE EXCEPTION 'insert or update on table "%" names host % that does not exist', TG_TABLE_NAME, missing
                    USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, COLUMN = 'host_id';
            END IF;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER host_file_host_inserted AFTER INSERT ON host_file
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION host_reference_check();
        CREATE TRIGGER host_file_host_updated AFTER UPDATE ON host_file
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION host_reference_check();
        CREATE TRIGGER installed_hotfix_host_inserted AFTER INSERT ON installed_hotfix
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION host_reference_check();
        CREATE TRIGGER installed_hotfix_host_updated AFTER UPDATE ON installed_hotfix
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION host_reference_check();

        CREATE FUNCTION file_ref_reference_check() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            wanted bigint;
            found bigint;
            missing bigint;
        BEGIN
            SELECT count(*) INTO wanted FROM (SELECT DISTINCT ref_id FROM new_rows) d;
            SELECT count(*) INTO found
            FROM (SELECT 1 FROM file_ref r WHERE r.id IN (SELECT ref_id FROM new_rows) FOR KEY SHARE OF r) l;
            IF found <> wanted THEN
                SELECT min(n.ref_id) INTO missing FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM file_ref r WHERE r.id = n.ref_id);
                RAISE EXCEPTION 'insert or update on table "host_file" names file path % that does not exist', missing
                    USING ERRCODE = 'foreign_key_violation', TABLE = 'host_file', COLUMN = 'ref_id';
            END IF;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER host_file_ref_inserted AFTER INSERT ON host_file
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION file_ref_reference_check();
        CREATE TRIGGER host_file_ref_updated AFTER UPDATE ON host_file
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION file_ref_reference_check();

        CREATE FUNCTION file_ref_deleted_restrict() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            used bigint;
        BEGIN
            SELECT min(f.ref_id) INTO used FROM host_file f WHERE f.ref_id IN (SELECT id FROM old_rows);
            IF used IS NOT NULL THEN
                RAISE EXCEPTION 'file path % is still named by host_file rows', used
                    USING ERRCODE = 'foreign_key_violation', TABLE = 'file_ref', COLUMN = 'id';
            END IF;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER file_ref_deleted AFTER DELETE ON file_ref
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION file_ref_deleted_restrict();

        CREATE FUNCTION host_deleted_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM host_file f USING old_rows o WHERE f.host_id = o.id;
            DELETE FROM installed_hotfix x USING old_rows o WHERE x.host_id = o.id;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER host_deleted AFTER DELETE ON host
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION host_deleted_cascade();

        CREATE FUNCTION host_truncated_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE host_file, installed_hotfix;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER host_truncated AFTER TRUNCATE ON host FOR EACH STATEMENT EXECUTE FUNCTION host_truncated_cascade();

        CREATE FUNCTION host_id_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'host ids do not change (host % would become %)', OLD.id, NEW.id
                USING ERRCODE = 'foreign_key_violation', TABLE = 'host', COLUMN = 'id';
        END
        $$;
        CREATE TRIGGER host_id_unchanged BEFORE UPDATE OF id ON host
            FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION host_id_unchanged();
        """
}
