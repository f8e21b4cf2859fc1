// A short demonstration of the billing engine on the embedded SQLite store, until the API issue adds
// bilean-server. Usage: bilean-demo [--database PATH]   (default: a new file under the temporary directory)
import BileanCore
import BileanEngine
import BileanStore
import Foundation
import Logging

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .info
    return handler
}
let logger = Logger(label: "bilean.demo")

var arguments = CommandLine.arguments.dropFirst()
var databasePath = FileManager.default.temporaryDirectory
    .appendingPathComponent("bilean-demo-\(UUID().uuidString.prefix(8))/bilean.sqlite").path
while let argument = arguments.popFirst() {
    switch argument {
    case "--database":
        guard let path = arguments.popFirst() else {
            FileHandle.standardError.write(Data("--database needs a path\n".utf8))
            exit(2)
        }
        databasePath = path
    case "-h", "--help":
        print("usage: bilean-demo [--database PATH]")
        exit(0)
    default:
        FileHandle.standardError.write(Data("unknown argument: \(argument)\n".utf8))
        exit(2)
    }
}

func show(_ title: String, _ user: User) {
    print("\(title): balance \(user.balance), rate \(user.rate)/s, status \(user.status.rawValue)")
}

do {
    let driver = try await SQLiteDriver.open(path: databasePath, logger: logger)
    let store = try await SQLBillingStore.open(driver: driver, logger: logger)
    print("SQLite database: \(databasePath)")
    // The cloud's clock for this demonstration: everything happens on 2026-11-01 and is read at 18:00.
    let start = try BillingTime(parsing: "2026-11-01 09:00:00.000000")
    let now = start.adding(seconds: 9 * 3600)
    let engine = Engine(store: store, now: { now }, logger: logger)

    let nova = try await engine.createRule(
        name: "nova-prices",
        spec: .object([
            "type": .string("os.nova.server"), "version": .number("1.0"),
            "properties": .object([
                "unit": .string("per_hour"),
                "price_mapping": .array([
                    .object(["flavor": .string("m1.small"), "price": .number("0.05")]),
                    .object(["flavor": .string("m1.large"), "price": .number("0.4")]),
                ]),
            ]),
        ]),
        metadata: .object([:])
    )
    let cinder = try await engine.createRule(
        name: "cinder-prices",
        spec: .object([
            "type": .string("os.cinder.volume"), "version": .string("1.0"),
            "properties": .object([
                "price_mapping": .array([
                    .object(["start": .number("1"), "end": .number("100"), "price": .number("0.01")]),
                    .object(["start": .number("101"), "price": .number("0.05")]),
                ])
            ]),
        ]),
        metadata: .object([:])
    )
    let policy = try await engine.createPolicy(name: "standard", ruleIDs: [nova.id, cinder.id], metadata: .object([:]))
    print("rules \(nova.type) and \(cinder.type) in policy '\(policy.name)' (default: \(policy.isDefault))")

    let project = "4f8e2b1c0d9a4e7f8a6b5c4d3e2f1a0b"
    _ = try await engine.createUser(id: project, name: "demo", messageID: "keystone-1")
    show("after creation", try await engine.user(project))
    show(
        "after recharge of 10",
        try await engine.recharge(userID: project, value: Money(integer: 10), kind: .recharge, metadata: .object([:]))
    )

    func event(
        _ id: String,
        _ action: ResourceEvent.Action,
        _ type: String,
        _ resource: String,
        _ properties: [String: JSONValue],
        _ time: String
    ) throws -> ResourceEvent {
        ResourceEvent(
            messageID: id,
            action: action,
            resourceType: type,
            resourceID: resource,
            userID: project,
            properties: properties,
            time: try BillingTime(parsing: time)
        )
    }
    let events = [
        try event("n-1", .create, "os.nova.server", "vm-1", ["flavor": .string("m1.small")], "2026-11-01T09:00:00Z"),
        try event("c-1", .create, "os.cinder.volume", "vol-1", ["size": .number("50")], "2026-11-01T09:30:00Z"),
        try event(
            "n-2",
            .update,
            "os.nova.server",
            "vm-1",
            ["flavor": .string("m1.large")],
            "2026-11-01T12:00:00+00:00"
        ),
        try event("c-2", .delete, "os.cinder.volume", "vol-1", [:], "2026-11-01 15:30:00.000000"),
    ]
    // Delivered out of order, with a duplicate: the result is that of in-order, once-only delivery.
    for item in [events[0], events[2], events[3], events[1], events[2]] {
        let outcome = try await engine.apply([item])
        print("event \(item.messageID) (\(item.action.rawValue) \(item.resourceID) at \(item.time)): \(outcome[0])")
    }
    show("at \(now)", try await engine.user(project))
    print("consumptions:")
    for consumption in try await engine.listConsumptions(ListQuery(sortKeys: ["start_time"], userID: project)) {
        print(
            "  \(consumption.resourceID) \(consumption.startTime) → \(consumption.endTime) \(consumption.cause.rawValue): \(consumption.cost)"
        )
    }
    print("statistics per type since 09:00:")
    for row in try await engine.statistics(ListQuery(userID: project, start: start), summary: true) {
        print("  \(row.resourceType): \(row.cost)")
    }
    // Expected: vm-1 3 h × 0.05 + 6 h × 0.4 = 2.55; vol-1 6 h × 0.01 = 0.06; balance 10 − 2.61 = 7.39.
    try await driver.close()
} catch {
    logger.error("demo failed", metadata: ["error": "\(String(reflecting: error))"])
    exit(1)
}
