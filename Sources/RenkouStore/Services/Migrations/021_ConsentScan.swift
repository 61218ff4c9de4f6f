enum Migration021ConsentScan {
    /// The signed informed-consent form of a service, scanned (optional): name, type and bytes (base64).
    static let migration = Migration(id: 21, name: "consent scans") { _ in [
        "ALTER TABLE services ADD COLUMN consent_name TEXT",
        "ALTER TABLE services ADD COLUMN consent_type TEXT",
        "ALTER TABLE services ADD COLUMN consent TEXT",
    ] }
}
