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
}
