import BileanCore
import Logging
import Testing

@testable import BileanMessaging

struct RPCDispatcherTests {
    struct Endpoint: RPCEndpoint {
        var namespace: String
        var version: String
        var methods: [String: JSONValue]

        func handle(method: String, args: [String: JSONValue], context: RPCContext) async throws -> JSONValue {
            if method == "crash" { throw CancellationError() }
            guard let result = self.methods[method] else { throw RPCRemoteError(kind: .noSuchMethod, message: method) }
            return result
        }
    }

    let dispatcher = RPCDispatcher(endpoints: [
        Endpoint(namespace: "accounts", version: "1.1", methods: ["old": .string("v1")]),
        Endpoint(namespace: "accounts", version: "1.4", methods: ["new": .string("v1.4"), "crash": .null]),
        Endpoint(namespace: "accounts", version: "2.0", methods: ["old": .string("v2")]),
        Endpoint(namespace: "", version: "1.0", methods: ["ping": .string("pong")]),
    ])

    func dispatch(
        _ method: String,
        namespace: String? = "accounts",
        version: String
    ) async -> Result<
        JSONValue, RPCRemoteError
    > {
        let request = RPCRequest(
            method: method,
            args: [:],
            namespace: namespace,
            version: version,
            context: RPCContext()
        )
        return await self.dispatcher.dispatch(request, logger: Logger(label: "test"))
    }

    @Test func theFirstCompatibleEndpointWithTheMethodAnswers() async {
        #expect(await self.dispatch("old", version: "1.0") == .success(.string("v1")))
        #expect(await self.dispatch("new", version: "1.2") == .success(.string("v1.4")))
        // 1.1 has no `new`; 1.4 serves 1.0 too, and has it.
        #expect(await self.dispatch("new", version: "1.0") == .success(.string("v1.4")))
        #expect(await self.dispatch("old", version: "2.0") == .success(.string("v2")))
        #expect(await self.dispatch("ping", namespace: nil, version: "1.0") == .success(.string("pong")))
    }

    @Test func aNewerMinorOrAnotherMajorIsUnsupported() async {
        #expect(await self.dispatch("new", version: "1.5").kind == .unsupportedVersion)
        #expect(await self.dispatch("old", version: "3.0").kind == .unsupportedVersion)
        #expect(await self.dispatch("old", namespace: "other", version: "1.0").kind == .unsupportedVersion)
        #expect(await self.dispatch("old", version: "x").kind == .unsupportedVersion)
    }

    @Test func aMethodNoCompatibleEndpointHasIsNoSuchMethod() async {
        #expect(await self.dispatch("gone", version: "1.0").kind == .noSuchMethod)
        #expect(await self.dispatch("new", version: "2.0").kind == .noSuchMethod)
    }

    @Test func anyOtherErrorIsTheInternalErrorThatRevealsNothing() async {
        #expect(await self.dispatch("crash", version: "1.4") == .failure(.internalError))
    }
}

extension Result where Failure == RPCRemoteError {
    var kind: RPCRemoteError.Kind? {
        if case .failure(let error) = self { return error.kind }
        return nil
    }
}
