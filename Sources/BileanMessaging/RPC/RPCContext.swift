package import BileanCore

/// The request context carried with an RPC request as oslo's `_context_*` keys: who asked, in which project, and
/// the request id to log. Never the token: the api authorizes, and the engine trusts the context it is given (the
/// RabbitMQ virtual host and its credentials are the trust boundary).
package struct RPCContext: Sendable, Hashable {
    /// The request id (`req-…`), for the logs of both sides.
    package var requestID: String?
    /// The project the request acts in.
    package var projectID: String?
    /// The user who made the request.
    package var userID: String?
    /// The user's roles in the project.
    package var roles: [String]
    /// Whether the api granted the request admin rights.
    package var isAdmin: Bool

    /// The prefix of the context keys in a request message.
    package static let keyPrefix = "_context_"

    /// Creates a context.
    /// - Parameters:
    ///   - requestID: The request id.
    ///   - projectID: The project.
    ///   - userID: The user.
    ///   - roles: The user's roles.
    ///   - isAdmin: Whether the request has admin rights.
    package init(
        requestID: String? = nil,
        projectID: String? = nil,
        userID: String? = nil,
        roles: [String] = [],
        isAdmin: Bool = false
    ) {
        self.requestID = requestID
        self.projectID = projectID
        self.userID = userID
        self.roles = roles
        self.isAdmin = isAdmin
    }

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
        self.requestID = text("request_id")
        self.projectID = text("project_id", "project", "tenant")
        self.userID = text("user_id", "user")
        self.roles = message[Self.keyPrefix + "roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if case .bool(let isAdmin) = message[Self.keyPrefix + "is_admin"] {
            self.isAdmin = isAdmin
        } else {
            self.isAdmin = false
        }
    }
}
