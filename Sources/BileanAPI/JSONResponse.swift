package import BileanCore
package import Hummingbird
import NIOCore

/// JSON responses.
package enum JSONResponse {
    /// A response with a JSON body: ``JSONValue/jsonText()`` (sorted keys, exact canonical numbers), the bytes
    /// the store keeps.
    /// - Parameters:
    ///   - status: The status.
    ///   - body: The body.
    /// - Returns: The response.
    package static func make(_ status: HTTPResponse.Status, _ body: JSONValue) -> Response {
        let text: String
        do {
            text = try body.jsonText()
        } catch {
            // Only a number whose text is not a JSON number fails; our bodies never hold one.
            text =
                #"{"code": 500, "title": "Internal Server Error", "error": {"type": "InternalError", "message": "response encoding failed"}}"#
            return Response(
                status: .internalServerError,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// `{key: body}` with status 200.
    package static func ok(_ key: String, _ body: JSONValue) -> Response {
        Self.make(.ok, .object([key: body]))
    }

    /// `{key: …}` with status 200, the value written by `write` straight into the body (no ``JSONValue`` tree).
    /// - Parameters:
    ///   - key: The top-level key.
    ///   - capacity: The bytes to reserve.
    ///   - write: Writes the one value of `key`.
    /// - Returns: The response.
    package static func ok(
        _ key: StaticString,
        capacity: Int = 512,
        write: (inout JSONStreamWriter) -> Void
    ) -> Response {
        var writer = JSONStreamWriter(capacity: capacity)
        writer.beginObject()
        writer.key(key)
        write(&writer)
        writer.endObject()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes))
        )
    }
}
