import BileanCore
import Testing

@testable import BileanMessaging

struct RPCRemoteErrorTests {
    @Test(arguments: RPCRemoteError.Kind.allCases)
    func everyKindTravelsAsItsClass(kind: RPCRemoteError.Kind) throws {
        let error = RPCRemoteError(
            kind: kind,
            message: "message of \(kind)",
            field: kind == .invalidInput ? "amount" : nil
        )
        let failure = try error.failureText()
        #expect(RPCRemoteError(failure: .string(failure)) == error)
        #expect(error.failureObject["class"] == .string(kind.rawValue))
        #expect(error.failureObject["module"] == .string("bilean.common.exception"))
    }

    @Test func oslosOwnDispatcherErrorsMapToTheirKinds() {
        let unsupported: JSONValue = .object([
            "class": .string("UnsupportedVersion"), "module": .string("oslo_messaging.rpc.dispatcher"),
            "message": .string("Endpoint does not support RPC version 2.0. Attempted method: echo"),
        ])
        #expect(RPCRemoteError(failure: unsupported).kind == .unsupportedVersion)
        let noSuchMethod: JSONValue = .object([
            "class": .string("NoSuchMethod"), "module": .string("oslo_messaging.rpc.dispatcher"),
            "message": .string("Endpoint does not support RPC method nope"),
        ])
        #expect(RPCRemoteError(failure: noSuchMethod).kind == .noSuchMethod)
    }

    @Test func anUnreadableFailureIsAnInternalError() {
        #expect(RPCRemoteError(failure: .string("{not json")).kind == .internalError)
        #expect(RPCRemoteError(failure: .number("1")).kind == .internalError)
    }

    @Test func theInternalErrorRevealsNothing() {
        #expect(RPCRemoteError.internalError.kind == .internalError)
        #expect(RPCRemoteError.internalError.field == nil)
    }
}
