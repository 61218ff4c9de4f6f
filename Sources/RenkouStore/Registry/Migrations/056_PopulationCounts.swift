enum Migration056PopulationCounts {
    /// 人口计数: the active people by leaf path, sex and birth month (`YYYY-MM`; '' for a sex or birth
    /// date not known), kept by the database at every write of `persons`, so that the population pyramid
    /// and the active records per path (the data-quality rates' base) read a few ten thousand counts
    /// instead of every person (`PopulationCounts`). Rows are deltas (+n, −n) appended by triggers, never updated in
    /// place: no writer waits on another's count row (a long import would otherwise hold every
    /// community's rows until it commits). `PopulationCounts.compact` sums them again every hour, after
    /// an import, the demo and a unit's move in the tree. SQLite adds one row per person written (row triggers, the only kind it has);
    /// PostgreSQL one per path, sex and month a statement touched (statement triggers over the rows
    /// changed). The migration fills it from the registry as it stands.
    static let migration = Migration(id: 56, name: "population counts") { engine in
        let counted = { (row: String) in "\(row).status = 'active'" }
        // the key of a row's count: a sex or birth date not known is counted under ''
        let key = { (row: String) in "\(row).path, COALESCE(\(row).sex, ''), COALESCE(substr(\(row).birth_date, 1, 7), '')" }
        let table = [
            "CREATE TABLE population_counts (path TEXT NOT NULL, sex TEXT NOT NULL, birth_month TEXT NOT NULL, n INTEGER NOT NULL)",
            "CREATE INDEX population_counts_path ON population_counts (path\(engine.prefixIndexOps), sex, birth_month, n)",
        ]
        let fill = PopulationCounts.fill
        switch engine {
        case .sqlite:
            return table + [
                """
                CREATE TRIGGER persons_count_insert AFTER INSERT ON persons WHEN \(counted("NEW"))
                BEGIN INSERT INTO population_counts (path, sex, birth_month, n) VALUES (\(key("NEW")), 1); END
                """,
                """
                CREATE TRIGGER persons_count_delete AFTER DELETE ON persons WHEN \(counted("OLD"))
                BEGIN INSERT INTO population_counts (path, sex, birth_month, n) VALUES (\(key("OLD")), -1); END
                """,
                """
                CREATE TRIGGER persons_count_update AFTER UPDATE OF path, sex, status, birth_date ON persons
                WHEN OLD.path IS NOT NEW.path OR OLD.sex IS NOT NEW.sex OR OLD.status IS NOT NEW.status OR OLD.birth_date IS NOT NEW.birth_date
                BEGIN
                    INSERT INTO population_counts (path, sex, birth_month, n) SELECT \(key("OLD")), -1 WHERE \(counted("OLD"));
                    INSERT INTO population_counts (path, sex, birth_month, n) SELECT \(key("NEW")), 1 WHERE \(counted("NEW"));
                END
                """,
                fill,
            ]
        case .postgres:
            let delta = { (rows: String, sign: String) in
                "SELECT r.path, COALESCE(r.sex, '') AS sex, COALESCE(substr(r.birth_date, 1, 7), '') AS birth_month, \(sign) AS n FROM \(rows) r WHERE \(counted("r"))"
            }
            return table + [
                """
                CREATE FUNCTION renkou_population_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO population_counts (path, sex, birth_month, n) SELECT path, sex, birth_month, SUM(n) FROM (\(delta("new_rows", "1"))) d GROUP BY 1, 2, 3;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO population_counts (path, sex, birth_month, n) SELECT path, sex, birth_month, SUM(n) FROM (\(delta("old_rows", "-1"))) d GROUP BY 1, 2, 3;
                    ELSE
                        INSERT INTO population_counts (path, sex, birth_month, n) SELECT path, sex, birth_month, SUM(n)
                        FROM (\(delta("old_rows", "-1")) UNION ALL \(delta("new_rows", "1"))) d GROUP BY 1, 2, 3 HAVING SUM(n) <> 0;
                    END IF;
                    RETURN NULL;
                END $$
                """,
                "CREATE TRIGGER persons_count_insert AFTER INSERT ON persons REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION renkou_population_counts()",
                "CREATE TRIGGER persons_count_update AFTER UPDATE ON persons REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION renkou_population_counts()",
                "CREATE TRIGGER persons_count_delete AFTER DELETE ON persons REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION renkou_population_counts()",
                fill,
            ]
        }
    }
}
