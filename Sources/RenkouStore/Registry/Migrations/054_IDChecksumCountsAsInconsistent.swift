enum Migration054IDChecksumCountsAsInconsistent {
    /// `Q10-id-checksum` (an ID number whose check character is wrong, saved after confirmation) is a
    /// consistency rule, but the summary `Q*` that the consistency rate (逻辑关系准确率) counts was
    /// made from the codes `Q0…` only, so such a record counted as consistent. The summary now comes
    /// from every `Q` code; this adds the `Q*` rows the records already registered lack.
    static let migration = Migration(id: 54, name: "an ID number with a wrong check character counts against consistency") { _ in [
        """
        INSERT INTO person_checks (person_id, code, path) SELECT c.person_id, 'Q*', c.path FROM person_checks c
        WHERE c.code = 'Q10-id-checksum' AND NOT EXISTS (SELECT 1 FROM person_checks q WHERE q.person_id = c.person_id AND q.code = 'Q*')
        """,
    ] }
}
