package import BileanCore

/// The one authorization check of the API, used by every handler (the same for `noauth` and Keystone).
///
/// Admin may do everything. Anyone else may only read their own project's user, resources, events and
/// consumptions. A check never reveals whether an object exists: a request that names another project is a 403
/// before any lookup, and a resource of another project answers 404 exactly like a missing one.
package enum AccessPolicy {
    /// The API's operations, named as in the original `policy.json`.
    package enum Action: String, Sendable, Hashable, CaseIterable {
        case usersIndex = "users:index"
        case usersGet = "users:get"
        case usersAction = "users:action"
        case rulesIndex = "rules:index"
        case rulesGet = "rules:get"
        case rulesCreate = "rules:create"
        case rulesUpdate = "rules:update"
        case rulesDelete = "rules:delete"
        case policiesIndex = "policies:index"
        case policiesGet = "policies:get"
        case policiesCreate = "policies:create"
        case policiesUpdate = "policies:update"
        case policiesDelete = "policies:delete"
        case policiesAction = "policies:action"
        case resourcesIndex = "resources:index"
        case resourcesGet = "resources:get"
        case resourcesValidateCreation = "resources:validate_creation"
        case eventsIndex = "events:index"
        case consumptionsIndex = "consumptions:index"
        case consumptionsStatistics = "consumptions:statistics"
        case rejectedNotificationsIndex = "rejected_notifications:index"
        case rejectedNotificationsGet = "rejected_notifications:get"

        /// Whether a project may do this to its own objects (else: admin only).
        package var allowsOwner: Bool {
            switch self {
            case .usersGet, .resourcesIndex, .resourcesGet, .eventsIndex, .consumptionsIndex,
                .consumptionsStatistics:
                return true
            case .usersIndex, .usersAction, .rulesIndex, .rulesGet, .rulesCreate, .rulesUpdate, .rulesDelete,
                .policiesIndex, .policiesGet, .policiesCreate, .policiesUpdate, .policiesDelete, .policiesAction,
                .resourcesValidateCreation, .rejectedNotificationsIndex, .rejectedNotificationsGet:
                return false
            }
        }
    }

    /// Checks that `credentials` may perform `action` on objects of `project`.
    /// - Parameters:
    ///   - action: The operation.
    ///   - credentials: The caller.
    ///   - project: The project whose objects are touched (`nil`: not about one project).
    /// - Throws: ``BileanError`` (forbidden), with oslo.policy's message.
    package static func authorize(
        _ action: Action,
        _ credentials: Credentials,
        project: String?
    ) throws(BileanError) {
        if credentials.isAdmin { return }
        guard action.allowsOwner, let own = credentials.projectID, let project, own == project else {
            throw BileanError(.forbidden, "Policy doesn't allow \(action.rawValue) to be performed.")
        }
    }

    /// The project a list is about: the caller's own when they name none; admin may list every project.
    /// - Parameters:
    ///   - action: The list operation.
    ///   - credentials: The caller.
    ///   - requested: The `user_id` the request names, if any.
    /// - Returns: The project to list (`nil`: all, for admin only).
    /// - Throws: ``BileanError`` (forbidden) for another project, or for a caller without one.
    package static func listScope(
        _ action: Action,
        _ credentials: Credentials,
        requested: String?
    ) throws(BileanError) -> String? {
        if credentials.isAdmin { return requested }
        let project = requested ?? credentials.projectID
        try Self.authorize(action, credentials, project: project)
        return project
    }
}
