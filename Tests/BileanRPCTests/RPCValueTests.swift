import BileanCore
import BileanMessaging
import BileanRPC
import Testing

/// Every value that crosses the engine RPC comes back exactly as it left: times to the microsecond, money and
/// rates as exact decimals (no floating point), JSON properties as written.
@Suite("RPC values")
struct RPCValueTests {
    static let t = BillingTime(microseconds: 1_767_225_600_123_457)

    static func roundTrip<Value: RPCValue & Equatable>(
        _ value: Value,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        // Through the JSON text too, as the wire carries it.
        let text = try value.rpcValue.jsonText()
        let back = try Value(rpcValue: try JSONValue(jsonText: text))
        #expect(back == value, sourceLocation: sourceLocation)
    }

    @Test func ingestValues() throws {
        let resource = ResourceEvent(
            messageID: "m1",
            action: .create,
            resourceType: "os.nova.server",
            resourceID: "vm",
            userID: "p1",
            properties: ["flavor": .string("m1.small"), "size": .number("1.000000000000000000000000000001")],
            time: Self.t
        )
        let user = UserEvent(messageID: "m2", action: .create, userID: "p2", name: "Two", time: Self.t)
        let rejection = RejectedNotification(
            id: "r",
            receivedAt: Self.t,
            messageID: nil,
            eventType: "x",
            publisherID: nil,
            code: "bad_json",
            reason: "no",
            exchange: "nova",
            routingKey: "notifications.info",
            bodySize: 12,
            bodyExcerpt: "{"
        )
        try Self.roundTrip(
            NotificationBatch(
                messages: [.init(messageID: "m1", facts: [.resource(resource), .user(user)])],
                rejections: [rejection],
                report: ListenerReport(listener: "h/q", queueDepth: Int64.max, oldestHeldSeconds: 3)
            )
        )
        try Self.roundTrip(NotificationBatch())
        var report = IngestReport()
        report.billed = 3
        report.duplicates = 1
        report.duplicateIDs = ["m1"]
        try Self.roundTrip(report)
        // An engine of an earlier release sends no ids.
        #expect(
            try IngestReport(
                rpcValue: .object(["billed": .number("1"), "duplicates": .number("2"), "rejected": .number("0")])
            )
            .duplicateIDs == []
        )
    }

    @Test func jobsValues() throws {
        try Self.roundTrip(
            Job(userID: "p", kind: .freezeDelete, runAt: Self.t, owner: "s", leaseUntil: Self.t, heldSince: Self.t)
        )
        for outcome in [JobOutcome.fired, .stale, .notDue, .ownedElsewhere, .held] { try Self.roundTrip(outcome) }
        try Self.roundTrip(
            OperationalCounts(usersByStatus: [.active: 3, .freeze: 1], pendingNotices: 2, pendingCloudActions: 5)
        )
        try Self.roundTrip(
            BillingNotice(
                id: "n",
                userID: "p",
                reason: .freezeDelete,
                timestamp: Self.t,
                payload: .object(["a": .null]),
                createdAt: Self.t
            )
        )
        let action = CloudAction(
            id: "a",
            userID: "p",
            resourceID: "fip",
            resourceType: "os.neutron.floatingip",
            kind: .release,
            attempts: 2,
            nextAttemptAt: Self.t,
            lastError: "503",
            createdAt: Self.t
        )
        try Self.roundTrip(action)
        for outcome in [
            CloudActionOutcome.completed(.done("x")), .completed(.unchanged("y")), .completed(.alreadyGone),
            .completed(.notApplicable("z")), .failed(CloudActionError(retryable: true, "boom")),
        ] {
            try Self.roundTrip(outcome)
        }
    }

    @Test func accountsValues() throws {
        var user = User(
            id: "p",
            name: nil,
            policyID: "pol",
            balance: try Money(parsing: "-0.000000000001"),
            rate: Rate(unitsPerHour: 123_456_789_012_345_678_901),
            accrual: OpenAccrual(weightedStart: Int128.max / 3, residue: -7, count: 2),
            credit: try Money(parsing: "50"),
            lastBill: Self.t,
            status: .warning,
            statusReason: "soon",
            createdAt: Self.t,
            frozenAt: nil,
            overdrawnAt: Self.t
        )
        user.runOutAt = Self.t
        user.freezeAt = Self.t.adding(seconds: 1)
        try Self.roundTrip(user)
        try Self.roundTrip(
            Rule(
                id: "r",
                name: "n",
                type: "os.nova.server",
                resourceType: "os.nova.server",
                spec: .object(["a": .number("1")]),
                createdAt: Self.t
            )
        )
        try Self.roundTrip(
            Policy(
                id: "p",
                name: "n",
                rules: [.init(id: "r", type: "t", resourceType: "os.nova.server")],
                isDefault: true,
                createdAt: Self.t,
                deletedAt: Self.t
            )
        )
        try Self.roundTrip(
            Resource(
                id: "vm",
                userID: "p",
                resourceType: "os.nova.server",
                ruleID: nil,
                properties: ["flavor": .string("f")],
                billing: ResourceBilling(
                    startedAt: Self.t,
                    rate: Rate(unitsPerHour: 5),
                    billedUntil: Self.t,
                    accrued: -3
                ),
                createdAt: Self.t
            )
        )
        try Self.roundTrip(
            Event(id: "e", timestamp: Self.t, objectID: "o", objectType: "user", action: "freeze", level: .warning)
        )
        try Self.roundTrip(
            Consumption(
                id: "c",
                userID: "p",
                resourceID: "vm",
                resourceType: "os.nova.server",
                startTime: Self.t,
                endTime: Self.t,
                rate: Rate(unitsPerHour: -4),
                cost: try Money(parsing: "-1.5"),
                cause: .rerate,
                createdAt: Self.t
            )
        )
        try Self.roundTrip(ConsumptionStatistics(resourceID: nil, resourceType: "x", userID: "p", cost: .zero))
        try Self.roundTrip(
            Recharge(
                id: "k",
                userID: "p",
                kind: .systemBonus,
                value: try Money(parsing: "0.1"),
                timestamp: Self.t,
                metadata: .object([:])
            )
        )
        try Self.roundTrip(UserProjection(userID: "p", at: Self.t, balance: .zero, status: .freeze))
        try Self.roundTrip(ApplyOutcome.duplicate)
        try Self.roundTrip(ResourceSpec(resourceType: "os.cinder.volume", properties: ["size": .number("5")]))
        try Self.roundTrip(
            ListQuery(
                limit: 5,
                marker: "m",
                sortKeys: ["a"],
                direction: .desc,
                showDeleted: true,
                filters: ["status": ["A", "B"]],
                userID: "u",
                start: Self.t,
                end: nil
            )
        )
        try Self.roundTrip(RuleUpdate(name: nil, spec: .object([:]), metadata: nil))
        try Self.roundTrip(PolicyUpdate(name: "x", metadata: nil, isDefault: false))
    }

    @Test func aMalformedValueNamesItsField() {
        do {
            _ = try Job(rpcValue: .object(["user_id": .string("p"), "kind": .string("nope"), "run_at": .number("1")]))
            Issue.record("accepted an unknown kind")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.field == "kind")
        }
        do {
            _ = try Job(
                rpcValue: .object(["user_id": .string("p"), "kind": .string("notify"), "run_at": .number("1.5")])
            )
            Issue.record("accepted a fractional time")
        } catch {
            #expect(error.field == "run_at")
        }
    }
}
