import Foundation
import RenkouCore
import RenkouStore
import RenkouTestSupport
import Testing

/// Registering a person who stands on a landlord's roster finishes the job: the roster line is linked,
/// the registration task closed and, for an inflow migrant, the stay opened at that landlord.
@Suite struct RosterRegistrationTests {
    @Test(arguments: TestEngine.all) func registeringATenantOpensTheStayAndClosesTheTask(engine: TestEngine) async throws {
        try await withTestStores(engine) { stores in
            try await Fixture.tree(stores)
            var h = HostStore.Input(); h.kind = "landlord"; h.name = "袁家出租屋"; h.unit = Fixture.gridA1; h.address = "白银路 120 号"
            let host = try await stores.hosts.create(h, in: .everything, by: .cli())
            func number(_ first17: String) -> String { first17 + String(CitizenID.checkCharacter(first17)!) }
            let tenant = number("51010419950412004")
            let since = Day(stores.env.now()).adding(days: -20)
            _ = try await stores.rosters.add(host: host.id, name: "袁小梅", idNumber: tenant, room: "502", since: since, in: .everything, by: .cli())
            let today = Day(stores.env.now())
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).filter { $0.kind == .register }.map(\.idNumber) == [tenant])

            var input = PersonInput(name: "袁小梅", idNumber: tenant, unit: Fixture.gridA1)
            input.category = "inflow"; input.hukouRegion = "510104"; input.address = "白银路 120 号"; input.room = "502"
            let person = try await stores.persons.create(input, in: .everything, by: .cli("grid"))

            let stays = try await stores.stays.stays(of: person.id, in: .everything)
            #expect(stays.count == 1)
            #expect(stays.first.map { ($0.kind, $0.since, $0.hostID, $0.region, $0.isOpen) } ?? (.outflow, "", nil, nil, false)
                    == (.inflow, since.description, host.id, "510104", true))
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).filter { $0.kind == .register }.isEmpty)
            let roster = try await stores.rosters.roster(of: host.id, in: .everything, by: .cli())
            #expect(roster.map(\.personID) == [person.id])
            #expect(person.category == "inflow" && person.unitCode == Fixture.gridA1)

            // a person registered as a registered resident on a roster is linked without a stay
            let local = number("31011419900101001")
            _ = try await stores.rosters.add(host: host.id, name: "本地人", idNumber: local, room: "503", since: nil, in: .everything, by: .cli())
            let resident = try await stores.persons.create(PersonInput(name: "本地人", idNumber: local, unit: Fixture.gridA1), in: .everything, by: .cli())
            #expect(try await stores.stays.stays(of: resident.id, in: .everything).isEmpty)
            #expect(try await stores.rosters.roster(of: host.id, in: .everything, by: .cli()).first { $0.idNumber == local }?.personID == resident.id)
            #expect(try await stores.tasks.list(on: today, in: .everything, by: .cli()).filter { $0.kind == .register }.isEmpty)
        }
    }
}
