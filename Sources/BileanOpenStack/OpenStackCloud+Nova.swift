import BileanCore
import Logging
import NIOCore
import NIOHTTP1

// Nova's server actions.
extension OpenStackCloud {
    /// `os-stop`: 2xx (202) is done; 409 (already stopped, or in a state that cannot stop) leaves it unchanged.
    func stopServer(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        try await self.serverAction(id, "os-stop", done: "server stopped", verb: "stopped", logger: logger)
    }

    /// `os-start`: 2xx (202) is done; 409 (already running, or in a state that cannot start) leaves it unchanged.
    func startServer(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        try await self.serverAction(id, "os-start", done: "server started", verb: "started", logger: logger)
    }

    /// `DELETE /servers/{id}`: 2xx (204, 202) is done.
    func deleteServer(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        try await self.delete(
            ["servers", id],
            on: .nova,
            operation: "the deletion of the server",
            done: "server deleted",
            logger: logger
        )
    }

    /// `POST /servers/{id}/action` `{"<action>": null}`: 2xx is done, 404 is gone, 409 (the server is not in a
    /// state the action applies to, e.g. already stopped) is ``CloudActionResult/unchanged(_:)`` with Nova's reason:
    /// a thaw must not start a server that the freeze did not stop.
    private func serverAction(
        _ id: String,
        _ action: String,
        done: String,
        verb: String,
        logger: Logger
    ) async throws(CloudActionError) -> CloudActionResult {
        let answer = try await self.send(
            .POST,
            to: .nova,
            path: ["servers", id, "action"],
            body: ByteBuffer(string: #"{"\#(action)": null}"#),
            operation: action,
            logger: logger
        )
        switch answer.status {
        case 200..<300:
            return .done(done)
        case 404:
            return .alreadyGone
        case 409:
            // Already in the target state (nothing to undo at a thaw), or busy (resizing, rebooting…): then the
            // action is retried, or the freeze would not hold.
            let message = CloudActionError.serviceMessage(in: answer.body).map { ": \($0)" } ?? ""
            let status = try await self.serverStatus(id, logger: logger)
            if status == nil { return .alreadyGone }
            if status == (action == "os-stop" ? "SHUTOFF" : "ACTIVE") {
                return .unchanged("server already \(verb) (409)\(message)")
            }
            throw CloudActionError(
                retryable: true,
                "Nova cannot \(action) the server while it is \(status ?? "?") (409)\(message)"
            )
        default:
            throw CloudActionError.http(status: answer.status, body: answer.body, service: "Nova", operation: action)
        }
    }

    /// `GET /servers/{id}`: the server's `status` (`ACTIVE`, `SHUTOFF`, …), or `nil` when it is gone.
    private func serverStatus(_ id: String, logger: Logger) async throws(CloudActionError) -> String? {
        let operation = "the server's status"
        let answer = try await self.send(
            .GET,
            to: .nova,
            path: ["servers", id],
            body: nil,
            operation: operation,
            logger: logger
        )
        switch answer.status {
        case 200..<300:
            let status = (try? JSONValue(jsonText: String(buffer: answer.body)))?["server"]?["status"]?.stringValue
            return status ?? "UNKNOWN"
        case 404:
            return nil
        default:
            throw CloudActionError.http(status: answer.status, body: answer.body, service: "Nova", operation: operation)
        }
    }
}
