package import BileanCore

/// The request context carried with an RPC request as oslo's `_context_*` keys: who asked, in which project, and
/// the request id to log (``CallerContext``, which the api sets for each request). Never the token: the api
/// authorizes, and the engine trusts the context it is given (the RabbitMQ virtual host and its credentials are the
/// trust boundary).
package typealias RPCContext = CallerContext

extension CallerContext {
    /// The prefix of the context keys in a request message.
    package static let keyPrefix = "_context_"

    /// The `_context_*` members Bilean sends: `request_id`, `project_id`, `user_id` (a string or `null`), `roles`
    /// and `is_admin`; never `auth_token`.
    package var messageMembers: [String: JSONValue] {
        [
            "_context_request_id": self.requestID.map(JSONValue.string) ?? .null,
            "_context_project_id": self.projectID.map(JSONValue.string) ?? .null,
            "_context_user_id": self.userID.map(JSONValue.string) ?? .null,
            "_context_roles": .array(self.roles.map(JSONValue.string)),
            "_context_is_admin": .bool(self.isAdmin),
        ]
    }

    /// Reads the context of a request message, as sent by Bilean or by oslo.context's `RequestContext.to_dict()`
    /// (which names the user `user` and also sends the project as `project` and, in older releases, `tenant`).
    ///
    /// Lenient, as oslo is: a member of another type than expected is ignored, and every other key (the token
    /// among them) is never read.
    /// - Parameter message: The request message.
    package init(message: [String: JSONValue]) {
        func text(_ names: String...) -> String? {
            for name in names {
                if case .string(let value) = message[Self.keyPrefix + name] { return value }
            }
            return nil
        }
        var isAdmin = false
        if case .bool(let value) = message[Self.keyPrefix + "is_admin"] { isAdmin = value }
        self.init(
            requestID: text("request_id"),
            projectID: text("project_id", "project", "tenant"),
            userID: text("user_id", "user"),
            roles: message[Self.keyPrefix + "roles"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            isAdmin: isAdmin
        )
    }
}
