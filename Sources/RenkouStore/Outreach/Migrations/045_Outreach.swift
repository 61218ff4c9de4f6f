enum Migration045Outreach {
    /// 宣传教育与计生协会: activities (with the registry people who came and their photos), the
    /// publicity boards and their renewals, surveys with their sample and answers, the associations,
    /// members, volunteer hours and information reports.
    static let migration = Migration(id: 45, name: "outreach and the association") { engine in [
        """
        CREATE TABLE outreach_activities (id TEXT PRIMARY KEY, kind TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, day TEXT NOT NULL,
            topic TEXT NOT NULL, place TEXT, audience TEXT, trainer TEXT, key_date TEXT, materials TEXT NOT NULL, headcount INTEGER NOT NULL, minutes TEXT,
            association_id TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX outreach_activities_path ON outreach_activities (path\(engine.prefixIndexOps), day)",
        "CREATE INDEX outreach_activities_day ON outreach_activities (day, kind)",
        "CREATE TABLE outreach_attendance (activity_id TEXT NOT NULL REFERENCES outreach_activities(id), person_id TEXT NOT NULL REFERENCES persons(id), PRIMARY KEY (activity_id, person_id))",
        "CREATE INDEX outreach_attendance_person ON outreach_attendance (person_id)",
        "CREATE TABLE outreach_photos (id TEXT PRIMARY KEY, activity_id TEXT NOT NULL REFERENCES outreach_activities(id), name TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE INDEX outreach_photos_activity ON outreach_photos (activity_id)",
        """
        CREATE TABLE outreach_boards (id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, name TEXT NOT NULL, place TEXT,
            created_on TEXT NOT NULL, retired_on TEXT, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX outreach_boards_path ON outreach_boards (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE outreach_board_renewals (id TEXT PRIMARY KEY, board_id TEXT NOT NULL REFERENCES outreach_boards(id), day TEXT NOT NULL, theme TEXT NOT NULL,
            by_name TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX outreach_board_renewals_board ON outreach_board_renewals (board_id, day)",
        """
        CREATE TABLE surveys (id TEXT PRIMARY KEY, kind TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, title TEXT NOT NULL,
            opened_on TEXT NOT NULL, questions TEXT NOT NULL, seed BIGINT, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX surveys_path ON surveys (path\(engine.prefixIndexOps))",
        "CREATE TABLE survey_sample (survey_id TEXT NOT NULL REFERENCES surveys(id), person_id TEXT NOT NULL REFERENCES persons(id), position INTEGER NOT NULL, PRIMARY KEY (survey_id, person_id))",
        """
        CREATE TABLE survey_responses (id TEXT PRIMARY KEY, survey_id TEXT NOT NULL REFERENCES surveys(id), kind TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL, person_id TEXT REFERENCES persons(id), answered_on TEXT NOT NULL, answers TEXT NOT NULL, answered INTEGER NOT NULL, positive INTEGER NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX survey_responses_person ON survey_responses (survey_id, person_id)",
        "CREATE INDEX survey_responses_path ON survey_responses (path\(engine.prefixIndexOps), answered_on)",
        """
        CREATE TABLE associations (id TEXT PRIMARY KEY, name TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id), path TEXT NOT NULL, host_id TEXT REFERENCES hosts(id),
            founded_on TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX associations_path ON associations (path\(engine.prefixIndexOps))",
        """
        CREATE TABLE association_members (id TEXT PRIMARY KEY, association_id TEXT NOT NULL REFERENCES associations(id), person_id TEXT NOT NULL REFERENCES persons(id),
            path TEXT NOT NULL, role TEXT NOT NULL, group_name TEXT, joined_on TEXT NOT NULL, left_on TEXT, households TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX association_members_person ON association_members (association_id, person_id)",
        """
        CREATE TABLE volunteer_hours (id TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES association_members(id), day TEXT NOT NULL, minutes INTEGER NOT NULL,
            activity TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX volunteer_hours_member ON volunteer_hours (member_id, day)",
        """
        CREATE TABLE volunteer_reports (id TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES association_members(id), kind TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES org_units(id),
            path TEXT NOT NULL, address TEXT NOT NULL, person_id TEXT REFERENCES persons(id), note TEXT, reported_on TEXT NOT NULL, task_id TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at TEXT NOT NULL)
        """,
        "CREATE INDEX volunteer_reports_path ON volunteer_reports (path\(engine.prefixIndexOps), reported_on)",
    ] }
}
