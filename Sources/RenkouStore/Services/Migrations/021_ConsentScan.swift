enum Migration021ConsentScan {
    /// The signed informed-consent form of a service, scanned (optional): name, type and bytes (base64).
    /// A visit of a schedule is written once per step (two runs of the daily job cannot both schedule it).
    static let migration = Migration(id: 21, name: "consent scans, one visit per step") { _ in [
        "ALTER TABLE services ADD COLUMN consent_name TEXT",
        "ALTER TABLE services ADD COLUMN consent_type TEXT",
        "ALTER TABLE services ADD COLUMN consent TEXT",
        "CREATE UNIQUE INDEX follow_ups_step ON follow_ups (person_id, schedule, COALESCE(service_id, ''), COALESCE(anchor, ''), step)",
    ] }
}
