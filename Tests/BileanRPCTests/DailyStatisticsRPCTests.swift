import BileanCore
import BileanRPC
import Testing

/// A statistics row per day keeps its day across the engine RPC (`daily_statistics`).
@Suite("Daily statistics over RPC")
struct DailyStatisticsRPCTests {
    @Test func aRowKeepsItsDay() throws {
        let midnight = BillingTime(seconds: 1_700_006_400)
        try RPCValueTests.roundTrip(
            ConsumptionStatistics(
                resourceID: nil,
                resourceType: "os.nova.server",
                userID: "p",
                cost: try Money(parsing: "0.000000000001"),
                day: midnight
            )
        )
        let row = ConsumptionStatistics(resourceID: "vm", resourceType: "x", userID: nil, cost: .zero, day: midnight)
        #expect(try ConsumptionStatistics(rpcValue: row.rpcValue).day == midnight)
        // Rows of the statistics of one window have none.
        let plain = ConsumptionStatistics(resourceID: "vm", resourceType: "x", userID: nil, cost: .zero)
        #expect(try ConsumptionStatistics(rpcValue: plain.rpcValue).day == nil)
    }
}
