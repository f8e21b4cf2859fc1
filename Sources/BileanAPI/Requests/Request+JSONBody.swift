package import BileanCore
import Foundation
package import Hummingbird
import NIOCore

extension Request {
    /// Reads the JSON object of a request that must have a body.
    ///
    /// `Content-Type` must be `application/json` (parameters such as `charset` allowed); it is only checked on
    /// requests with a body (the original client sends `application/octet-stream` on GET and DELETE).
    /// - Parameter context: The request context (its body limit).
    /// - Returns: The parsed body (Core's ``ExactJSONReader``), numbers as their exact decimal text in canonical
    ///   form (`1.0` as `1`, `1e2` as `100`), as the engine and the store expect them.
    /// - Throws: ``APIError`` 415 for another media type, 413 over the limit; ``BileanError`` (400) for an empty
    ///   body, text that is not JSON (the message names the problem and its byte offset, e.g. a repeated key),
    ///   JSON nested deeper than ``JSONValue/maximumDepth``, or JSON that is not an object.
    package mutating func jsonBody(context: APIRequestContext) async throws -> JSONValue {
        let mediaType = self.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            let shown = mediaType.map { "'\($0.prefix(100))'" } ?? "none"
            throw APIError(.unsupportedMediaType, "The request body must be application/json, not \(shown)")
        }
        if let length = self.headers[.contentLength].flatMap({ Int($0) }), length > context.maximumBodySize {
            throw APIError(.contentTooLarge, Self.tooLargeMessage(context.maximumBodySize))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await self.collectBody(upTo: context.maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, Self.tooLargeMessage(context.maximumBodySize))
        }
        guard buffer.readableBytes > 0 else {
            throw BileanError.invalid("body", "The request needs a JSON body")
        }
        let value: JSONValue
        do throws(ExactJSONReader.Failure) {
            value = try ExactJSONReader.parse(
                Array(buffer.readableBytesView),
                maximumDepth: JSONValue.maximumDepth,
                numbers: .canonical
            )
        } catch {
            throw BileanError.invalid(
                "body",
                "The request body is not valid JSON: \(error.problem) at byte \(error.offset)"
            )
        }
        guard value.objectValue != nil else {
            throw BileanError.invalid("body", "The request body must be a JSON object, not \(value.typeName)")
        }
        return value
    }

    private static func tooLargeMessage(_ limit: Int) -> String {
        "The request body is larger than the \(limit) bytes this server accepts"
    }
}
