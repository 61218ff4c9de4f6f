import Foundation
import RenkouCore

/// Contraceptive supplies: the catalogue, lots, stock locations and the stock events with their cards.
public struct SuppliesStoreModule: StoreModule {
    public init() {}
    public let name = "supplies"
    public var migrations: [Migration] { [Migration036Supplies.migration, Migration037Machines.migration, Migration038CountSheets.migration, Migration039SupplyOrder.migration,
                                              Migration040MachineReports.migration] }
    public var pathTables: [String] { ["stock_locations", "stock_events", "stock_lines", "stock_cards", "machine_checks", "count_sheets", "count_sheet_lines", "machine_reports"] }
    public var contributions: [Contribution] { SuppliesRates.definitions.map { ExtensionPoint.indicators($0) } + SupplyMeasures.all.map { ExtensionPoint.reportMeasures($0) } }
    public var demo: DemoStep? {
        DemoStep { stores, context in
            guard !context.stopped else { return }
            try await DemoSupplies.fill(stores, districtCode: context.districtCode, communities: context.communities)
        }
    }
}
