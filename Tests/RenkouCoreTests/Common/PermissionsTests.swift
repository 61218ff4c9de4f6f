import RenkouCore
import Testing

@Suite struct PermissionsTests {
    /// The whole table, role by role: a change to any grant shows here.
    @Test func theMatrixIsWhatTheOfficesExpect() {
        let expected = """
        permission                admin       district    street      community   grid        provider    storekeeper viewer
        admin.read                x           x           x           x           x           x           x           x
        admin.administer          x           .           .           .           .           .           .           .
        admin.audit               x           x           .           .           .           .           .           .
        assessment.read           x           x           x           x           .           .           .           x
        assessment.write          x           x           x           x           .           .           .           .
        assessment.approve        x           x           .           .           .           .           .           .
        assessment.plan           x           x           x           .           .           .           .           .
        births.read               x           x           x           x           x           x           x           .
        births.write              x           x           x           x           x           .           .           .
        births.approve            x           x           .           .           .           .           .           .
        exchange.read             x           x           x           x           .           .           .           .
        exchange.write            x           x           x           x           .           .           .           .
        exchange.administer       x           .           .           .           .           .           .           .
        migrants.read             x           x           x           x           x           x           x           .
        migrants.write            x           x           x           x           x           .           .           .
        migrants.see-rh           .           .           .           x           .           x           .           .
        outreach.read             x           x           x           x           x           .           .           .
        outreach.write            x           x           x           x           x           .           .           .
        outreach.administer       x           x           x           .           .           .           .           .
        registry.read             x           x           x           x           x           x           x           .
        registry.write            x           x           x           x           x           .           .           .
        registry.correct          x           x           x           x           x           .           .           .
        registry.export           x           x           x           x           x           x           x           .
        registry.export-unmasked  x           x           x           .           .           .           .           .
        registry.administer       x           .           .           .           .           .           .           .
        reports.read              x           x           x           x           .           .           .           x
        reports.write             x           x           x           x           .           .           .           .
        reports.approve           x           x           x           .           .           .           .           .
        services.read             x           x           x           x           x           x           x           .
        services.write            x           x           x           x           x           x           .           .
        services.plan             x           x           x           .           .           .           .           .
        services.see-rh           .           .           .           x           .           x           .           .
        supervision.read          x           x           x           x           x           .           .           .
        supervision.write         x           x           x           x           .           .           .           .
        supervision.administer    x           x           .           .           .           .           .           .
        supplies.read             x           x           x           x           x           x           x           .
        supplies.write            x           x           x           x           .           x           x           .
        supplies.administer       x           x           .           .           .           .           x           .
        tasks.read                x           x           x           x           x           x           x           .
        tasks.write               x           x           x           x           x           .           .           .
        """
        let matrix = Permissions.all.matrix()
        print(matrix)
        #expect(matrix == expected)
    }

    @Test func reproductiveHealthDetailsStayWithTheServiceRoles() {
        for role in Role.allCases {
            #expect(role.can(.migrants(.seeReproductiveHealth)) == [.provider, .community].contains(role), "\(role)")
            #expect(role.can(.services(.seeReproductiveHealth)) == [.provider, .community].contains(role), "\(role)")
        }
        // a permission nobody granted is refused to everyone
        #expect(Role.allCases.allSatisfy { !$0.can(Permission("nobody", .approve)) })
    }
}
