import AMQP
import BileanCore
import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@testable import BileanMessaging

/// ``OsloRPCClient`` against ``OsloRPCServer`` on the test broker, each test on a topic and exchange of its own.
@Suite(.enabled(if: RPCTestEnvironment.isBrokerEnabled), .timeLimit(.minutes(2)))
struct OsloRPCClientServerTests {
    @Test func resultsAndTheContextGoThrough() async throws {
        let bed = RPCTestBed("results")
        let client = try bed.client()
        try await bed.run(servers: [try bed.server("h1")], client: client) {
            let echoed = try await client.call(
                namespace: bed.namespace,
                version: "1.3",
                method: "echo",
                args: ["n": .number("12345678901234567890"), "text": .string("café \"q\"")],
                context: RPCContext(
                    requestID: "req-42",
                    projectID: "p",
                    userID: "u",
                    roles: ["admin", "member"],
                    isAdmin: true
                )
            )
            #expect(echoed["args"] == .object(["n": .number("12345678901234567890"), "text": .string("café \"q\"")]))
            #expect(
                echoed["context"]
                    == .object([
                        "request_id": .string("req-42"), "project_id": .string("p"), "user_id": .string("u"),
                        "roles": .array([.string("admin"), .string("member")]), "is_admin": .bool(true),
                    ])
            )
            let result = try await bed.call(client, "add", ["a": .number("40"), "b": .number("2")])
            #expect(result == .number("42"))
        }
    }

    @Test func everyErrorKindComesBackTyped() async throws {
        let bed = RPCTestBed("errors")
        let client = try bed.client()
        try await bed.run(servers: [try bed.server("h1")], client: client) {
            for kind in [RPCRemoteError.Kind.notFound, .invalidInput, .conflict, .internalError] {
                let field: JSONValue = kind == .invalidInput ? .string("amount") : .null
                let error = await bed.failure(
                    client,
                    "fail",
                    ["kind": .string(kind.rawValue), "message": .string("because \(kind)"), "field": field]
                )
                #expect(
                    error
                        == .remote(
                            RPCRemoteError(
                                kind: kind,
                                message: "because \(kind)",
                                field: kind == .invalidInput ? "amount" : nil
                            )
                        )
                )
            }
            // Any other Swift error: an internal error that says nothing of it.
            let crash = await bed.failure(client, "crash")
            #expect(crash == .remote(.internalError))
            #expect(!String(describing: crash).contains("hunter2"))
        }
    }

    @Test func versionsAndMethodsTheServerDoesNotHave() async throws {
        let bed = RPCTestBed("versions")
        let client = try bed.client()
        try await bed.run(servers: [try bed.server("h1", version: "1.3")], client: client) {
            let current = try await bed.call(client, "whoami", version: "1.3")
            #expect(current == .string("h1"))
            let older = try await bed.call(client, "whoami", version: "1.0")
            #expect(older == .string("h1"))
            for version in ["1.4", "2.0", "0.9"] {
                guard case .remote(let error) = await bed.failure(client, "whoami", version: version) else {
                    Issue.record("version \(version) was not refused")
                    continue
                }
                #expect(error.kind == .unsupportedVersion)
            }
            do throws(RPCCallError) {
                _ = try await client.call(
                    namespace: "another",
                    version: "1.0",
                    method: "whoami",
                    args: [:],
                    context: RPCContext()
                )
                Issue.record("an unknown namespace was served")
            } catch {
                guard case .remote(let remote) = error else { throw error }
                #expect(remote.kind == .unsupportedVersion)
            }
            guard case .remote(let error) = await bed.failure(client, "nope") else {
                Issue.record("an unknown method was served")
                return
            }
            #expect(error.kind == .noSuchMethod)
        }
    }

    @Test func aSlowServerTimesOutWithinTheTimeout() async throws {
        let bed = RPCTestBed("timeout")
        let client = try bed.client()
        try await bed.run(servers: [try bed.server("h1")], client: client) {
            let start = ContinuousClock.now
            let error = await bed.failure(client, "sleep", ["ms": .number("3000")], timeout: .milliseconds(500))
            let elapsed = ContinuousClock.now - start
            #expect(error == .timeout(.milliseconds(500)))
            #expect(elapsed >= .milliseconds(500))
            // Well before the server's answer (3 s), with room for a loaded machine.
            #expect(elapsed < .milliseconds(2900))
            // The late reply is dropped; the client goes on.
            let result = try await bed.call(client, "whoami")
            #expect(result == .string("h1"))
        }
    }

    @Test func noServerEverIsUnreachableAtOnce() async throws {
        let bed = RPCTestBed("unreachable")
        let client = try bed.client(timeout: .seconds(120))
        let start = ContinuousClock.now
        let error = await bed.failure(client, "whoami")
        guard case .unreachable = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        do throws(RPCCallError) {
            try await client.cast(namespace: bed.namespace, version: "1.0", method: "m", args: [:], context: .init())
            Issue.record("a cast nobody listens to was taken")
        } catch {
            guard case .unreachable = error else { throw error }
        }
        do throws(RPCCallError) {
            try await client.cast(
                namespace: bed.namespace,
                version: "1.0",
                method: "m",
                args: [:],
                context: .init(),
                fanout: true
            )
            Issue.record("a fanout cast nobody listens to was taken")
        } catch {
            guard case .unreachable = error else { throw error }
        }
        // Far less than waiting out one 120 s timeout. In isolation the three answers take well under a second;
        // under the whole suite's load (hundreds of tests in parallel on 2 cores) they took up to 22 s in CI.
        #expect(ContinuousClock.now - start < .seconds(60))
        #expect(try await client.serverCount(reaching: 0) == 0)
        await client.close()
        #expect(await bed.failure(client, "whoami") == .unreachable("the RPC client is closed"))
        await bed.cleanUp(servers: [], clients: [client])
    }

    /// The broker refuses (nacks) every request to one server's queue (full, `reject-publish`): such a call fails
    /// as unreachable, after being published again on new channels, at once rather than at its timeout; and a call
    /// in flight on the same client meanwhile gets its reply.
    @Test func aRequestTheBrokerRefusesFailsAndDisturbsNoOtherCall() async throws {
        let bed = RPCTestBed("nacked")
        let client = try bed.client(timeout: .seconds(30))
        // The directed queue of server "full" takes no message: the broker nacks every publish to it.
        let connection = try await AMQPConnection.connect(
            configuration: try RPCTestEnvironment.connection(),
            logger: RPCTestEnvironment.logger
        )
        let channel = try await connection.openChannel()
        try await channel.exchangeDeclare(bed.exchange, type: "topic")
        let full = "\(bed.topic).full"
        _ = try await channel.queueDeclare(
            full,
            arguments: ["x-max-length": .int32(0), "x-overflow": "reject-publish"]
        )
        try await channel.queueBind(full, exchange: bed.exchange, routingKey: full)
        try await bed.run(servers: [try bed.server("h1")], client: client) {
            async let slow = bed.call(client, "sleep", ["ms": .number("1500")])
            try await Task.sleep(for: .milliseconds(200))
            let start = ContinuousClock.now
            do throws(RPCCallError) {
                _ = try await bed.call(client, "whoami", server: "full")
                Issue.record("the broker took a request for a full queue")
            } catch {
                #expect(error == .unreachable("the message broker refused the request"))
            }
            #expect(ContinuousClock.now - start < .seconds(20))
            #expect(try await slow == .string("h1"))
            // The client still works, on its current channel.
            #expect(try await bed.call(client, "whoami") == .string("h1"))
        }
        _ = try? await channel.queueDelete(full)
        try? await connection.close()
        await bed.cleanUp(servers: [], clients: [client])
    }

    /// The queue of a stopped server is still there: a call times out (not unreachable), the topic has no server,
    /// and the request expires with its caller's timeout instead of waiting for the next server.
    @Test func aRequestNobodyWaitsForAnyMoreExpires() async throws {
        let bed = RPCTestBed("expiration")
        let client = try bed.client()
        let connection = try await AMQPConnection.connect(
            configuration: try RPCTestEnvironment.connection(),
            logger: RPCTestEnvironment.logger
        )
        let channel = try await connection.openChannel()
        let topology = OsloRPCTopology(exchange: bed.exchange, topic: bed.topic)
        let fanoutQueue = topology.makeFanoutQueue()
        try await topology.serverTopology(host: "gone", fanoutQueue: fanoutQueue).declare(on: channel)
        // Connected first: the 300 ms are the call's, not the connection's (slow on a loaded machine).
        #expect(try await client.serverCount(reaching: 0) == 0)
        let error = await bed.failure(client, "whoami", timeout: .milliseconds(300))
        #expect(error == .timeout(.milliseconds(300)))
        #expect(try await client.serverCount(reaching: 0) == 0)
        try await within(.seconds(10)) {
            while try await channel.queueDeclare(bed.topic, passive: true).messageCount > 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try await channel.queueDelete(fanoutQueue)
        try await connection.close()
        await client.close()
        await bed.cleanUp(servers: [], clients: [client], hosts: ["gone"])
    }

    @Test func aRequestOfAKilledServerIsAnsweredByAnother() async throws {
        let bed = RPCTestBed("redelivery")
        let client = try bed.client(timeout: .seconds(30))
        let first = try bed.server("a", blockingServer: "a")
        let second = try bed.server("b", blockingServer: "a")
        try await Self.killMidCall(first, then: second, bed: bed, client: client) {}
        await client.close()
        await bed.cleanUp(servers: [first, second], clients: [client])
    }

    /// Runs `first` (blocking in `block`) and, after `beforeTheCall`, calls `block`: `first` takes the request and
    /// blocks; `second` starts; `first` is killed (its task cancelled, so that it neither answers nor
    /// acknowledges), and `second` answers the request delivered again.
    static func killMidCall(
        _ first: OsloRPCServer,
        then second: OsloRPCServer,
        bed: RPCTestBed,
        client: OsloRPCClient,
        beforeTheCall: () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let killable = Task { await first.run() }
            try await bed.waitForServers(1, client: client)
            try await beforeTheCall()
            group.addTask {
                // Answered by b once a is gone.
                let result = try await bed.call(client, "block")
                #expect(result == .string("b"))
            }
            // a took it, and blocks.
            _ = try await bed.recorder.waitFor(count: 1)
            #expect(bed.recorder.events == [.string("started:a")])
            group.addTask { await second.run() }
            try await bed.waitForServers(2, client: client)
            killable.cancel()
            await killable.value
            try await group.next()
            group.cancelAll()
        }
    }

    /// `rabbit_quorum_queue`: the topic queues are quorum queues and the control exchange is durable (a classic
    /// or transient redeclaration is refused, and the refusal comes with the advice); calls go through, and the
    /// request of a killed server is answered by another.
    @Test func quorumTopicQueuesServeCallsAndRedeliverAKilledServersRequest() async throws {
        let bed = RPCTestBed("quorum")
        let client = try bed.client(timeout: .seconds(30), quorum: true)
        let first = try bed.server("a", blockingServer: "a", quorum: true)
        let second = try bed.server("b", blockingServer: "a", quorum: true)
        try await Self.killMidCall(first, then: second, bed: bed, client: client) {
            #expect(try await bed.call(client, "add", ["a": .number("40"), "b": .number("2")]) == .number("42"))
            let connection = try await AMQPConnection.connect(
                configuration: try RPCTestEnvironment.connection(),
                logger: RPCTestEnvironment.logger
            )
            let topology = OsloRPCTopology(exchange: bed.exchange, topic: bed.topic, quorum: true)
            for queue in [bed.topic, "\(bed.topic).a"] {
                let channel = try await connection.openChannel()
                let error = await #expect(throws: AMQPError.self) {
                    try await channel.queueDeclare(queue, durable: true)
                }
                #expect(error?.replyCode == .preconditionFailed)
                #expect(
                    error?.replyText?.contains("inequivalent arg 'x-queue-type'") == true,
                    "\(String(describing: error))"
                )
                #expect(error.flatMap(topology.declarationAdvice(for:))?.contains("rabbit_quorum_queue") == true)
            }
            let channel = try await connection.openChannel()
            await #expect(throws: AMQPError.self) {
                try await channel.exchangeDeclare(bed.exchange, type: "topic", durable: false)
            }
            // The fanout queue stays classic and transient, as oslo's without rabbit_transient_quorum_queue.
            let fanout = try await connection.openChannel()
            _ = try await fanout.queueDeclare(
                first.fanoutQueue,
                arguments: OsloRPCTopology.transientQueueArguments
            )
            try await connection.close()
        }
        await client.close()
        await bed.cleanUp(servers: [first, second], clients: [client])
    }

    /// A classic topic queue left from before `rabbit_quorum_queue` was switched on: the server cannot declare it
    /// and says what to do.
    @Test func aClassicQueueLeftFromBeforeIsRefusedWithAdvice() async throws {
        let bed = RPCTestBed("quorum-switch")
        let connection = try await AMQPConnection.connect(
            configuration: try RPCTestEnvironment.connection(),
            logger: RPCTestEnvironment.logger
        )
        let classic = OsloRPCTopology(exchange: bed.exchange, topic: bed.topic, durable: true)
        let fanoutQueue = classic.makeFanoutQueue()
        try await classic.serverTopology(host: "h", fanoutQueue: fanoutQueue)
            .declare(on: try await connection.openChannel())
        let quorum = OsloRPCTopology(exchange: bed.exchange, topic: bed.topic, quorum: true)
        let error = await #expect(throws: AMQPError.self) {
            try await quorum.serverTopology(host: "h", fanoutQueue: fanoutQueue)
                .declare(on: try await connection.openChannel())
        }
        let advice = error.flatMap(quorum.declarationAdvice(for:))
        #expect(advice?.contains("rabbitmqctl delete_queue") == true, "\(String(describing: error))")
        let channel = try await connection.openChannel()
        for queue in [bed.topic, "\(bed.topic).h", fanoutQueue] { _ = try? await channel.queueDelete(queue) }
        try? await channel.exchangeDelete(bed.exchange)
        try? await channel.exchangeDelete(classic.fanoutExchange)
        try await connection.close()
    }

    @Test func aHundredConcurrentCallsShareOneConnection() async throws {
        let bed = RPCTestBed("concurrency")
        let client = try bed.client()
        try await bed.run(
            servers: [try bed.server("h1", concurrency: 8), try bed.server("h2", concurrency: 8)],
            client: client
        ) {
            try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
                for index in 0..<100 {
                    group.addTask {
                        (index, try await bed.call(client, "add", ["a": .number("\(index)"), "b": .number("1000")]))
                    }
                }
                var seen = 0
                for try await (index, result) in group {
                    #expect(result == .number("\(index + 1000)"))
                    seen += 1
                }
                #expect(seen == 100)
            }
        }
    }

    @Test func aServerRunsAtMostItsConcurrency() async throws {
        let bed = RPCTestBed("in-flight")
        let client = try bed.client()
        try await bed.run(servers: [try bed.server("h1", concurrency: 3)], client: client) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 {
                    group.addTask { _ = try await bed.call(client, "concurrent", ["ms": .number("100")]) }
                }
                try await group.waitForAll()
            }
            #expect(bed.recorder.maximumInFlight == 3)
        }
    }

    @Test func aDirectedCallReachesItsServerOnly() async throws {
        let bed = RPCTestBed("directed")
        let client = try bed.client()
        try await bed.run(servers: [try bed.server("h1"), try bed.server("h2")], client: client) {
            #expect(try await client.serverCount(reaching: 2) == 2)
            for _ in 0..<10 {
                let result = try await bed.call(client, "whoami", server: "h2")
                #expect(result == .string("h2"))
            }
            guard case .unreachable = await bed.failureDirected(client, server: "h3") else {
                Issue.record("a call to a server that does not exist was taken")
                return
            }
        }
    }

    @Test func castsReachOneServerAndFanoutCastsEvery() async throws {
        let bed = RPCTestBed("casts")
        let client = try bed.client()
        try await bed.run(servers: [try bed.server("h1"), try bed.server("h2")], client: client) {
            try await client.cast(
                namespace: bed.namespace,
                version: "1.0",
                method: "remember",
                args: ["value": .string("one")],
                context: RPCContext()
            )
            let one = try await bed.recorder.waitFor(count: 1)
            #expect(one.count == 1 && one[0]["value"] == .string("one"))
            try await client.cast(
                namespace: bed.namespace,
                version: "1.0",
                method: "remember",
                args: ["value": .string("all")],
                context: RPCContext(),
                fanout: true
            )
            let all = try await bed.recorder.waitFor(count: 3).dropFirst()
            #expect(Set(all.compactMap { $0["server"]?.stringValue }) == ["h1", "h2"])
            #expect(all.allSatisfy { $0["value"] == .string("all") })
        }
    }

    @Test func aGracefulShutdownFinishesTheRequestsInFlight() async throws {
        let bed = RPCTestBed("graceful")
        let client = try bed.client()
        let server = try bed.server("h1")
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await server.run() }
                try await bed.waitForServers(1, client: client)
                group.addTask {
                    let result = try await bed.call(client, "sleep", ["ms": .number("1000")])
                    #expect(result == .string("h1"))
                }
                // The request is in flight when the shutdown comes.
                try await within(.seconds(10)) {
                    while server.slots.inUse == 0 { try await Task.sleep(for: .milliseconds(10)) }
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        // The server stopped consuming.
        #expect(try await client.serverCount(reaching: 0) == 0)
        await client.close()
        await bed.cleanUp(servers: [server], clients: [client])
    }
}

extension RPCTestBed {
    /// The error of a call directed to `server`.
    func failureDirected(_ client: OsloRPCClient, server: String) async -> RPCCallError? {
        do {
            _ = try await self.call(client, "whoami", server: server)
            return nil
        } catch {
            return error
        }
    }
}
