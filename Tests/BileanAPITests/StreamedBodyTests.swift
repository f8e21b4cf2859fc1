import BileanAPIModels
import BileanCore
import BileanTestSupport
import Testing

/// Bodies written straight by ``JSONStreamWriter`` are byte for byte those of their ``JSONValue`` (sorted keys).
@Suite("Streamed bodies")
struct StreamedBodyTests {
    @Test func aUserIsWrittenAsItsAPIBody() throws {
        var random = BileanTestSupport.SeededRandomNumberGenerator(seed: 16)
        let names: [String?] = [nil, "", "demo", "é \"quoted\" \\ \u{1}\n", "😀\u{2028}/"]
        let times: [BillingTime?] = [
            nil, BillingTime(microseconds: 0), BillingTime(microseconds: 1_764_000_000_123_456),
            BillingTime(microseconds: -62_135_596_800_000_000), BillingTime(microseconds: 253_402_300_799_999_999),
            BillingTime(microseconds: -62_135_596_800_000_001), BillingTime(microseconds: 253_402_300_800_000_000),
        ]
        var users: [User] = []
        for index in 0..<500 {
            func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
            var user = User(
                id: "project-\(index)",
                name: pick(names),
                policyID: pick([nil, "policy-1"]),
                balance: Money(units: Int128(Int64.random(in: Int64.min...Int64.max, using: &random))),
                rate: .perHour(Money(units: Int128(Int64.random(in: 0...1_000_000_000_000, using: &random)))),
                credit: Money(units: Int128(Int64.random(in: 0...1_000_000_000_000_000, using: &random))),
                lastBill: pick(times),
                status: pick(UserStatus.allCases),
                statusReason: pick(names),
                createdAt: pick(times) ?? BillingTime(microseconds: 1),
                updatedAt: pick(times),
                deletedAt: pick(times)
            )
            user.runOutAt = pick(times)
            user.freezeAt = pick(times)
            users.append(user)
        }
        for user in users {
            var writer = JSONStreamWriter()
            user.writeAPIBody(to: &writer)
            #expect(writer.bytes == (try ExactJSONWriter.bytes(user.apiBody)))
        }
        var writer = JSONStreamWriter()
        writer.beginObject()
        writer.key("users")
        writer.beginArray()
        for user in users { user.writeAPIBody(to: &writer) }
        writer.endArray()
        writer.endObject()
        #expect(writer.bytes == (try ExactJSONWriter.bytes(.object(["users": .array(users.map(\.apiBody))]))))
        var empty = JSONStreamWriter()
        empty.beginArray()
        empty.endArray()
        #expect(empty.bytes == Array("[]".utf8))
    }
}
