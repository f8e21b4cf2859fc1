// Bilean benchmarks (not tests): run `scripts/bench` (release build; starts a throw-away PostgreSQL).
//   bilean-bench [--events N] [--batch N]
//   bilean-bench --scheduler-users N [--scheduler-due N] [--scheduler-database sqlite|postgres]
//                                                                          (scripts/bench-scheduler)
//   bilean-bench --rerating-users N [--rerating-database sqlite|postgres] [--rerating-batch N]
//                                                                          (scripts/bench-rerating)
//   bilean-bench --parse AMQP-BODY-FILE [--parse-count N]                  (ParseBenchmark)
// Each figure is reported with a baseline measured in the same run, and their ratio, because this machine is
// shared and noisy.
import BileanCore
import BileanEngine
import BileanStore
import Foundation
import Logging
import PostgresNIO

var logger = Logger(label: "bilean.bench")
logger.logLevel = .warning

var eventCount = 5000
var batchSize = 100
var schedulerUsers: Int?
var schedulerDue = 20_000
var schedulerDatabase = "sqlite"
var reratingUsers: Int?
var reratingDatabase = "sqlite"
var reratingBatch = 200
var parseFile: String?
var parseCount = 100_000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--events": eventCount = Int(arguments.popFirst() ?? "") ?? eventCount
    case "--batch": batchSize = Int(arguments.popFirst() ?? "") ?? batchSize
    case "--scheduler-users": schedulerUsers = Int(arguments.popFirst() ?? "")
    case "--scheduler-due": schedulerDue = Int(arguments.popFirst() ?? "") ?? schedulerDue
    case "--scheduler-database": schedulerDatabase = arguments.popFirst() ?? ""
    case "--rerating-users": reratingUsers = Int(arguments.popFirst() ?? "")
    case "--rerating-database": reratingDatabase = arguments.popFirst() ?? ""
    case "--rerating-batch": reratingBatch = Int(arguments.popFirst() ?? "") ?? reratingBatch
    case "--parse": parseFile = arguments.popFirst()
    case "--parse-count": parseCount = Int(arguments.popFirst() ?? "") ?? parseCount
    default:
        print(
            """
            usage: bilean-bench [--events N] [--batch N]
                   | --scheduler-users N [--scheduler-due N] [--scheduler-database sqlite|postgres]
                   | --rerating-users N [--rerating-database sqlite|postgres] [--rerating-batch N]
                   | --parse AMQP-BODY-FILE [--parse-count N]
            """
        )
        exit(2)
    }
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

// MARK: Money arithmetic

func moneyBenchmark() async {
    let operations = 10_000_000
    let rates = (0..<1024).map { Rate.perHour(Money(units: Int128($0 + 1) * 123_456_789)) }
    let durations = (0..<1024).map { Int64($0 * 997 + 1_000_000) }
    var balance = Money(units: 1_000_000 * Money.unitsPerOne)
    let exact = await seconds {
        for index in 0..<operations {
            let rate = rates[index & 1023]
            let cost = Money(
                units: Money.roundedQuotient(
                    rate.accrual(microseconds: durations[index & 1023]),
                    Rate.accrualDenominator
                )
            )
            balance -= cost
        }
    }
    blackHole(balance)
    var inexact = 1_000_000.0
    let doubleRates = rates.map { Double($0.unitsPerHour) / 1e12 }
    let baseline = await seconds {
        for index in 0..<operations {
            inexact -= doubleRates[index & 1023] * Double(durations[index & 1023]) / 3.6e9
        }
    }
    blackHole(inexact)
    var decimal = Decimal(1_000_000)
    let decimalRates = rates.map { Decimal(string: $0.perHourAmount.description) ?? 0 }
    let decimalOps = operations / 20
    let decimalTime = await seconds {
        for index in 0..<decimalOps {
            decimal -= decimalRates[index & 1023] * Decimal(durations[index & 1023]) / 3_600_000_000
        }
    }
    blackHole(decimal)
    let exactNs = exact * 1e9 / Double(operations)
    let baselineNs = baseline * 1e9 / Double(operations)
    let decimalNs = decimalTime * 1e9 / Double(decimalOps)
    print("money multiply-add (rate × µs / 3.6e9, half-even, subtract), \(operations) ops:")
    print(String(format: "  Money (Int128, exact)   %8.2f ns/op", exactNs))
    print(
        String(format: "  Double (inexact)        %8.2f ns/op   Money/Double = %.1f×", baselineNs, exactNs / baselineNs)
    )
    print(
        String(format: "  Foundation Decimal      %8.2f ns/op   Decimal/Money = %.1f×", decimalNs, decimalNs / exactNs)
    )
}

// MARK: Engine throughput

func events(count: Int, prefix: String) -> [ResourceEvent] {
    // 100 projects; each resource is created, resized twice and deleted, all in cloud-time order: the hot path.
    let start = BillingTime(seconds: 1_700_000_000)
    var result: [ResourceEvent] = []
    var index = 0
    while result.count < count {
        let resource = "\(prefix)vm-\(index)"
        let user = "\(prefix)project-\(index % 100)"
        let flavors = ["m1.small", "m1.large", "m1.small"]
        for (step, flavor) in flavors.enumerated() {
            result.append(
                ResourceEvent(
                    messageID: "\(resource)-\(step)",
                    action: step == 0 ? .create : .update,
                    resourceType: "os.nova.server",
                    resourceID: resource,
                    userID: user,
                    properties: ["flavor": .string(flavor)],
                    time: start.adding(seconds: Int64(index * 10 + step * 3600))
                )
            )
        }
        result.append(
            ResourceEvent(
                messageID: "\(resource)-3",
                action: .delete,
                resourceType: "os.nova.server",
                resourceID: resource,
                userID: user,
                properties: [:],
                time: start.adding(seconds: Int64(index * 10 + 3 * 3600))
            )
        )
        index += 1
    }
    return Array(result.prefix(count))
}

func engineBenchmark(name: String, store: SQLBillingStore, eventCount: Int, batchSize: Int, logger: Logger) async throws
{
    let engine = Engine(store: store, now: { BillingTime(seconds: 1_800_000_000) }, logger: logger)
    let nova = try await engine.createRule(
        name: "nova",
        spec: .object([
            "type": .string("os.nova.server"), "version": .string("1.0"),
            "properties": .object([
                "price_mapping": .array([
                    .object(["flavor": .string("m1.small"), "price": .number("0.05")]),
                    .object(["flavor": .string("m1.large"), "price": .number("0.4")]),
                ])
            ]),
        ]),
        metadata: .object([:])
    )
    _ = try await engine.createPolicy(name: "default", ruleIDs: [nova.id], metadata: .object([:]))

    let run = UUID().uuidString.prefix(8)
    // Baseline: the smallest durable write through the same driver, one row per transaction.
    let baselineCount = min(eventCount, 2000)
    let baseline = try await seconds {
        for index in 0..<baselineCount {
            _ = try await store.withTransaction {
                try await $0.markProcessed("\(run)-baseline-\(index)", at: BillingTime(seconds: 0))
            }
        }
    }
    let baselineRate = Double(baselineCount) / baseline

    let single = events(count: eventCount, prefix: "\(run)-s-")
    let singleTime = try await seconds {
        for event in single { _ = try await engine.apply([event]) }
    }
    let singleRate = Double(single.count) / singleTime

    let batched = events(count: eventCount, prefix: "\(run)-b-")
    let batchedTime = try await seconds {
        var offset = 0
        while offset < batched.count {
            _ = try await engine.apply(Array(batched[offset..<min(offset + batchSize, batched.count)]))
            offset += batchSize
        }
    }
    let batchedRate = Double(batched.count) / batchedTime

    print("\(name): resource events applied by the engine (\(eventCount) events, in-order hot path):")
    print(String(format: "  baseline: 1-row transactions        %9.0f tx/s", baselineRate))
    print(
        String(
            format: "  one event per transaction           %9.0f events/s  (%.2f× the baseline's tx/s)",
            singleRate,
            singleRate / baselineRate
        )
    )
    print(
        String(
            format: "  batched, %4d events per transaction %9.0f events/s  (%.2f× one per transaction)",
            batchSize,
            batchedRate,
            batchedRate / singleRate
        )
    )
}

if let file = parseFile {
    do {
        try ParseBenchmark.run(file: file, count: max(1, parseCount))
    } catch {
        print("benchmark failed: \(String(reflecting: error))")
        exit(1)
    }
    exit(0)
}

if let users = reratingUsers {
    do {
        let (log, batch) = (logger, max(1, reratingBatch))
        switch reratingDatabase {
        case "sqlite":
            try await BenchmarkStore.withSQLiteStore(logger: log) { store in
                try await ReratingBenchmark.run(
                    name: "SQLite (WAL, synchronous=FULL)",
                    users: users,
                    batchUsers: batch,
                    store: store,
                    logger: log
                )
            }
        case "postgres":
            guard let url = BenchmarkStore.postgresURL() else {
                print("--rerating-database postgres needs BILEAN_BENCH_POSTGRES_URL or BILEAN_TEST_POSTGRES_URL")
                exit(2)
            }
            try await BenchmarkStore.withPostgresStore(url: url, logger: log) { store in
                try await ReratingBenchmark.run(
                    name: "PostgreSQL",
                    users: users,
                    batchUsers: batch,
                    store: store,
                    logger: log
                )
            }
        default:
            print("--rerating-database is sqlite or postgres, not \(reratingDatabase)")
            exit(2)
        }
    } catch {
        print("benchmark failed: \(String(reflecting: error))")
        exit(1)
    }
    exit(0)
}

if let users = schedulerUsers {
    do {
        let log = logger
        switch schedulerDatabase {
        case "sqlite":
            try await SchedulerBenchmark.run(
                name: "SQLite (WAL, synchronous=FULL)",
                users: users,
                due: schedulerDue,
                postgresURL: nil,
                logger: log
            )
        case "postgres":
            guard let url = BenchmarkStore.postgresURL() else {
                print("--scheduler-database postgres needs BILEAN_BENCH_POSTGRES_URL or BILEAN_TEST_POSTGRES_URL")
                exit(2)
            }
            try await SchedulerBenchmark.run(
                name: "PostgreSQL",
                users: users,
                due: schedulerDue,
                postgresURL: url,
                logger: log
            )
        default:
            print("--scheduler-database is sqlite or postgres, not \(schedulerDatabase)")
            exit(2)
        }
    } catch {
        print("benchmark failed: \(String(reflecting: error))")
        exit(1)
    }
    exit(0)
}

do {
    await moneyBenchmark()

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bilean-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let sqlite = try await SQLiteDriver.open(
        path: directory.appendingPathComponent("bench.sqlite").path,
        logger: logger
    )
    try await engineBenchmark(
        name: "SQLite (WAL, synchronous=FULL)",
        store: try await SQLBillingStore.open(driver: sqlite, logger: logger),
        eventCount: eventCount,
        batchSize: batchSize,
        logger: logger
    )
    try await sqlite.close()

    if let url = ProcessInfo.processInfo.environment["BILEAN_BENCH_POSTGRES_URL"], !url.isEmpty {
        let (count, batch, log) = (eventCount, batchSize, logger)
        try await PostgresDriver.withDriver(url: url, logger: log) { driver in
            let store = try await SQLBillingStore.open(driver: driver, logger: log)
            try await engineBenchmark(
                name: "PostgreSQL (fsync=off, loopback)",
                store: store,
                eventCount: count,
                batchSize: batch,
                logger: log
            )
        }
    } else {
        print("PostgreSQL: skipped (set BILEAN_BENCH_POSTGRES_URL, as scripts/bench does)")
    }
} catch {
    print("benchmark failed: \(String(reflecting: error))")
    exit(1)
}
