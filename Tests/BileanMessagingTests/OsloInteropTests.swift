import AMQP
import BileanCore
import Foundation
import Testing

@testable import BileanMessaging

/// Bilean's RPC against oslo.messaging itself (scripts/rpc-peer.py in the test venv), both ways, on the test broker.
@Suite(
    .enabled(if: RPCTestEnvironment.isPythonEnabled, "BILEAN_TEST_RABBITMQ_URL and BILEAN_TEST_PYTHON are not set"),
    .timeLimit(.minutes(3))
)
struct OsloInteropTests {
    /// The failure the script prints for a remote Bilean error.
    static func error(_ kind: RPCRemoteError.Kind, _ message: String, field: String? = nil) -> JSONValue {
        .object([
            "error": .object([
                "class": .string(kind.rawValue), "module": .string("bilean.common.exception"),
                "message": .string(message),
                "kwargs": .object(field.map { ["field": .string($0)] } ?? [:]),
            ])
        ])
    }

    @Test func pythonsRPCClientCallsTheSwiftServer() async throws {
        let bed = RPCTestBed("py-to-swift")
        let client = try bed.client()
        let namespace = bed.namespace
        let (exchange, topic) = (bed.exchange, bed.topic)
        try await bed.run(servers: [try bed.server("h1", version: "1.3")], client: client) {
            let args: [String: JSONValue] = [
                "n": .number("12345678901234567890"), "amount": .string("10.50"),
                "list": .array([.number("1"), .number("2.5"), .null, .bool(true)]), "text": .string("café \"q\""),
            ]
            let results = try await RPCPeer.calls(
                exchange: exchange,
                topic: topic,
                [
                    RPCPeer.spec(
                        "echo",
                        namespace: namespace,
                        version: "1.2",
                        args: args,
                        context: [
                            "request_id": .string("req-py"), "project_id": .string("p"), "user_id": .string("u"),
                            "roles": .array([.string("member")]), "is_admin": .bool(false),
                            "auth_token": .string("SECRET-TOKEN"),
                        ]
                    ),
                    RPCPeer.spec("add", namespace: namespace, args: ["a": .number("40"), "b": .number("2")]),
                    RPCPeer.spec(
                        "fail",
                        namespace: namespace,
                        args: ["kind": .string("NotFound"), "message": .string("no user u")]
                    ),
                    RPCPeer.spec(
                        "fail",
                        namespace: namespace,
                        args: [
                            "kind": .string("InvalidInput"), "message": .string("bad amount"),
                            "field": .string("amount"),
                        ]
                    ),
                    RPCPeer.spec(
                        "fail",
                        namespace: namespace,
                        args: ["kind": .string("Conflict"), "message": .string("taken")]
                    ),
                    RPCPeer.spec("crash", namespace: namespace),
                    RPCPeer.spec("echo", namespace: namespace, version: "1.4"),
                    RPCPeer.spec("echo", namespace: namespace, version: "2.0"),
                    RPCPeer.spec("nope", namespace: namespace),
                    RPCPeer.spec("whoami", namespace: namespace, server: "h1"),
                    // oslo's call monitor: without the server's heartbeats (every 3 s) it gives up after 6 s. A
                    // shorter monitor timed out on a loaded CI machine, where delivery alone can take seconds.
                    RPCPeer.spec(
                        "sleep",
                        namespace: namespace,
                        args: ["ms": .number("8000")],
                        rpcTimeout: 30,
                        callMonitorTimeout: 6
                    ),
                    RPCPeer.spec("remember", namespace: namespace, args: ["value": .number("1")], cast: true),
                    RPCPeer.spec(
                        "remember",
                        namespace: namespace,
                        args: ["value": .number("2")],
                        cast: true,
                        fanout: true
                    ),
                ]
            )
            #expect(
                results[0]
                    == .object([
                        "result": .object([
                            "args": .object(args),
                            "context": .object([
                                "request_id": .string("req-py"), "project_id": .string("p"),
                                "user_id": .string("u"), "roles": .array([.string("member")]),
                                "is_admin": .bool(false),
                            ]),
                        ])
                    ])
            )
            #expect(results[1] == .object(["result": .number("42")]))
            #expect(results[2] == Self.error(.notFound, "no user u"))
            #expect(results[3] == Self.error(.invalidInput, "bad amount", field: "amount"))
            #expect(results[4] == Self.error(.conflict, "taken"))
            #expect(results[5] == Self.error(.internalError, RPCRemoteError.internalError.message))
            #expect(results[6]["error"]?["class"] == .string("UnsupportedVersion"))
            #expect(results[7]["error"]?["class"] == .string("UnsupportedVersion"))
            #expect(results[8]["error"]?["class"] == .string("NoSuchMethod"))
            #expect(results[9] == .object(["result": .string("h1")]))
            #expect(results[10] == .object(["result": .string("h1")]))
            #expect(results[11] == .object(["result": .null]))
            #expect(results[12] == .object(["result": .null]))
            let remembered = try await bed.recorder.waitFor(count: 2)
            #expect(Set(remembered.compactMap { $0["value"] }) == [.number("1"), .number("2")])
        }
    }

    @Test func theSwiftClientCallsPythonsRPCServer() async throws {
        let bed = RPCTestBed("swift-to-py")
        let peer = try await RPCPeer.serve(
            exchange: bed.exchange,
            topic: bed.topic,
            server: "py1",
            namespace: bed.namespace,
            version: "1.3"
        )
        let client = try bed.client()
        do {
            // The peer consumes shortly after it says it is ready.
            #expect(try await client.serverCount(reaching: 1) == 1)
            let context = RPCContext(requestID: "req-sw", projectID: "p", userID: "u", roles: ["admin"], isAdmin: true)
            let echoed = try await client.call(
                namespace: bed.namespace,
                version: "1.2",
                method: "echo",
                args: ["n": .number("12345678901234567890"), "text": .string("café \"q\"")],
                context: context
            )
            #expect(echoed["args"] == .object(["n": .number("12345678901234567890"), "text": .string("café \"q\"")]))
            // oslo hands the endpoint exactly the context keys Bilean sent.
            #expect(
                echoed["context"]
                    == .object([
                        "request_id": .string("req-sw"), "project_id": .string("p"), "user_id": .string("u"),
                        "roles": .array([.string("admin")]), "is_admin": .bool(true),
                    ])
            )
            let sum = try await bed.call(
                client,
                "add",
                ["a": .number("12345678901234567890"), "b": .number("1")]
            )
            #expect(sum == .number("12345678901234567891"))
            let directed = try await bed.call(client, "whoami", server: "py1")
            #expect(directed == .string("py1"))

            for kind in [RPCRemoteError.Kind.notFound, .invalidInput, .conflict] {
                let field: JSONValue = kind == .invalidInput ? .string("amount") : .null
                let error = await bed.failure(
                    client,
                    "fail",
                    ["kind": .string(kind.rawValue), "message": .string("because"), "field": field]
                )
                #expect(
                    error
                        == .remote(
                            RPCRemoteError(
                                kind: kind,
                                message: "because",
                                field: kind == .invalidInput ? "amount" : nil
                            )
                        )
                )
            }
            let builtin = await bed.failure(client, "fail", ["kind": .string("Other"), "message": .string("oops")])
            #expect(builtin == .remote(RPCRemoteError(kind: .internalError, message: "builtins.ValueError: oops")))
            for version in ["1.4", "2.0"] {
                guard case .remote(let error) = await bed.failure(client, "echo", version: version) else {
                    Issue.record("oslo served version \(version)")
                    continue
                }
                #expect(error.kind == .unsupportedVersion)
            }
            guard case .remote(let noMethod) = await bed.failure(client, "nope") else {
                Issue.record("oslo served an unknown method")
                return
            }
            #expect(noMethod.kind == .noSuchMethod)

            let timedOut = await bed.failure(client, "sleep", ["seconds": .number("3")], timeout: .seconds(1))
            #expect(timedOut == .timeout(.seconds(1)))

            try await client.cast(
                namespace: bed.namespace,
                version: "1.0",
                method: "remember",
                args: ["value": .number("1")],
                context: context
            )
            try await client.cast(
                namespace: bed.namespace,
                version: "1.0",
                method: "remember",
                args: ["value": .number("2")],
                context: context,
                fanout: true
            )
            // Both casts handled (in whatever order their queues deliver them).
            try await within(.seconds(20)) {
                while try await bed.call(client, "recall").arrayValue?.count != 2 {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        } catch {
            _ = try? await peer.stop()
            await client.close()
            await bed.cleanUp(servers: [], clients: [client], hosts: ["py1"])
            throw error
        }
        await client.close()
        let output = try await peer.stop()
        await bed.cleanUp(servers: [], clients: [client], hosts: ["py1"])
        #expect(output["stopped"] == .bool(true))
        #expect(Set(output["remembered"]?.arrayValue ?? []) == [.number("1"), .number("2")])
    }
}
