import BileanCore
import Foundation

extension BileanClientError {
    /// The longest part of a non-OpenStack error body quoted in a message.
    static let maximumQuotedBody = 200

    /// The error for a response outside 2xx.
    ///
    /// The message is the body's `error.message` when the body is the OpenStack error JSON
    /// (`{"code", "title", "explanation", "error": {"type", "message"}}`). Otherwise (a proxy's page, a wrong
    /// URL) it is `HTTP <status> (<request>): <body text>`, the body on one line and truncated to
    /// ``maximumQuotedBody`` characters, or without `: <body text>` for an empty body.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - body: The response body's text.
    ///   - request: The method and URL of the request (`GET http://h:8770/v1/users`), for the fallback message.
    package static func http(status: Int, body: String, request: String) -> BileanClientError {
        BileanClientError(.httpError, Self.message(status: status, body: body, request: request), status: status)
    }

    /// The message of an error response; see ``http(status:body:request:)``.
    static func message(status: Int, body: String, request: String) -> String {
        switch Result(catching: { () throws(BileanClientError) in try JSONReader.parse(body) }) {
        case .success(let parsed):
            if let message = parsed["error"]?["message"]?.stringValue, !message.isEmpty {
                return message
            }
        case .failure:
            break  // Not JSON (a proxy's HTML page, say): the raw text is quoted below.
        }
        let oneLine = body.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
        let prefix = "HTTP \(status) (\(request))"
        guard !oneLine.isEmpty else { return prefix }
        guard oneLine.count > Self.maximumQuotedBody else { return "\(prefix): \(oneLine)" }
        return "\(prefix): \(oneLine.prefix(Self.maximumQuotedBody))…"
    }
}
