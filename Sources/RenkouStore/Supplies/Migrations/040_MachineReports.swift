enum Migration040MachineReports {
    /// 发放机上报: what a machine's own counter says, report by report (vend, refill, fault, empty), from
    /// the API or an uploaded log: no person in it, only the check a vend spent. `line_key` makes a
    /// log uploaded twice count once. Hand-outs are found by person (quotas, the distribution rate),
    /// a month's lines by path and day (the monthly report).
    static let migration = Migration(id: 40, name: "dispensing machine reports") { engine in [
        """
        CREATE TABLE machine_reports (id TEXT PRIMARY KEY, location_id TEXT NOT NULL REFERENCES stock_locations(id), kind TEXT NOT NULL, product TEXT,
            quantity INTEGER NOT NULL, check_id TEXT, occurred_at TEXT NOT NULL, occurred_on TEXT NOT NULL, source TEXT NOT NULL, line_key TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL)
        """,
        "CREATE INDEX machine_reports_month ON machine_reports (location_id, occurred_on)",
        "CREATE INDEX machine_reports_check ON machine_reports (check_id)",
        "CREATE INDEX machine_reports_path ON machine_reports (path\(engine.prefixIndexOps))",
        "CREATE INDEX stock_events_person ON stock_events (person_id, occurred_on)",
        "CREATE INDEX stock_lines_path_day ON stock_lines (path\(engine.prefixIndexOps), occurred_on)",
    ] }
}
