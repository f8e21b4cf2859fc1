package import BileanCore

/// The one authorization check of the API, used by every handler, the same for `noauth` and Keystone: named
/// oslo.policy rules with defaults in code, which an operator may override with a policy file.
///
/// By default admin (the `admin` role, in any scope) may do everything, and anyone else may only read their own
/// project's user, resources, events and consumptions. A check never reveals whether an object exists: a request
/// that names another project is a 403 before any lookup, and a resource of another project answers 404 exactly
/// like a missing one.
package struct AccessPolicy: Sendable, Hashable {
    /// The API's operations, named as in the original `policy.json`.
    package enum Action: String, Sendable, Hashable, CaseIterable {
        case usersIndex = "users:index"
        case usersGet = "users:get"
        case usersAction = "users:action"
        case usersProjection = "users:projection"
        case rechargesIndex = "recharges:index"
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
        case reconciliationIndex = "reconciliation:index"
        case reratingPreview = "rerating:preview"
        case reratingApply = "rerating:apply"

        /// Whether a project may do this to its own objects by default (else: admin only).
        package var allowsOwner: Bool {
            switch self {
            case .usersGet, .usersProjection, .rechargesIndex, .resourcesIndex, .resourcesGet, .eventsIndex,
                .consumptionsIndex, .consumptionsStatistics:
                return true
            case .usersIndex, .usersAction, .rulesIndex, .rulesGet, .rulesCreate, .rulesUpdate, .rulesDelete,
                .policiesIndex, .policiesGet, .policiesCreate, .policiesUpdate, .policiesDelete, .policiesAction,
                .resourcesValidateCreation, .rejectedNotificationsIndex, .rejectedNotificationsGet,
                .reconciliationIndex, .reratingPreview, .reratingApply:
                return false
            }
        }

        /// The default rule.
        package var defaultRule: String {
            self.allowsOwner ? "rule:\(AccessPolicy.adminOrOwner)" : "rule:\(AccessPolicy.contextIsAdmin)"
        }

        /// What the rule guards, and the requests it is checked on (for the sample file).
        package var documentation: (summary: String, operations: [String]) {
            switch self {
            case .usersIndex: return ("List every account.", ["GET /v1/users"])
            case .usersGet: return ("Show an account and its real-time balance.", ["GET /v1/users/{user_id}"])
            case .usersAction:
                return ("Recharge an account, attach a policy, set the credit.", ["POST /v1/users/{user_id}/action"])
            case .usersProjection:
                return ("Project an account's balance to a future instant.", ["GET /v1/users/{user_id}/projection"])
            case .rechargesIndex: return ("List recharges.", ["GET /v1/recharges"])
            case .rulesIndex: return ("List price rules.", ["GET /v1/rules"])
            case .rulesGet: return ("Show a price rule.", ["GET /v1/rules/{rule_id}"])
            case .rulesCreate: return ("Create a price rule.", ["POST /v1/rules"])
            case .rulesUpdate: return ("Update a price rule.", ["PUT /v1/rules/{rule_id}"])
            case .rulesDelete: return ("Delete a price rule.", ["DELETE /v1/rules/{rule_id}"])
            case .policiesIndex: return ("List pricing policies.", ["GET /v1/policies"])
            case .policiesGet: return ("Show a pricing policy.", ["GET /v1/policies/{policy_id}"])
            case .policiesCreate: return ("Create a pricing policy.", ["POST /v1/policies"])
            case .policiesUpdate: return ("Update a pricing policy.", ["PUT /v1/policies/{policy_id}"])
            case .policiesDelete: return ("Delete a pricing policy.", ["DELETE /v1/policies/{policy_id}"])
            case .policiesAction:
                return ("Add rules to or remove rules from a policy.", ["POST /v1/policies/{policy_id}/action"])
            case .resourcesIndex: return ("List billed resources.", ["GET /v1/resources"])
            case .resourcesGet:
                return (
                    "Show a billed resource (judged after the lookup: another project's resource answers 404).",
                    ["GET /v1/resources/{resource_id}"]
                )
            case .resourcesValidateCreation:
                return ("Ask whether a project can afford new resources.", ["POST /v1/resources/validate_creation"])
            case .eventsIndex: return ("List audit events.", ["GET /v1/events"])
            case .consumptionsIndex: return ("List consumption lines.", ["GET /v1/consumptions"])
            case .consumptionsStatistics: return ("Sum consumptions.", ["GET /v1/consumptions/statistics"])
            case .rejectedNotificationsIndex:
                return ("List the notifications set aside.", ["GET /v1/rejected-notifications"])
            case .rejectedNotificationsGet:
                return ("Show a notification set aside.", ["GET /v1/rejected-notifications/{id}"])
            case .reconciliationIndex: return ("Show inventory reconciliation runs.", ["GET /v1/reconciliation"])
            case .reratingPreview: return ("Preview a re-rating.", ["POST /v1/rerating/preview"])
            case .reratingApply: return ("Apply a re-rating.", ["POST /v1/rerating/apply"])
            }
        }
    }

    /// The base rule: who is the cloud administrator.
    package static let contextIsAdmin = "context_is_admin"
    /// The base rule: the administrator, or any role on the object's own project.
    package static let adminOrOwner = "admin_or_owner"

    /// The base rules the actions' defaults refer to: name, rule and description.
    package static let baseRules: [(name: String, rule: String, summary: String)] = [
        (contextIsAdmin, "role:admin", "The cloud administrator: the admin role, in any scope."),
        (
            adminOrOwner, "rule:\(contextIsAdmin) or project_id:%(project_id)s",
            "The administrator, or any role on the project that owns the object."
        ),
    ]

    /// The defaults, parsed once.
    package static let defaults = AccessPolicy()

    /// The rules in force, by name.
    private let rules: [String: PolicyRule]

    /// The defaults.
    package init() {
        var rules: [String: PolicyRule] = [:]
        for base in Self.baseRules { rules[base.name] = Self.parseDefault(base.rule) }
        for action in Action.allCases { rules[action.rawValue] = Self.parseDefault(action.defaultRule) }
        self.rules = rules
    }

    /// The defaults with a policy file's rules over them.
    /// - Parameter file: The policy file.
    /// - Throws: ``PolicyFileError`` naming the file, line and rule, for a rule that cannot be parsed, a
    ///   reference to an unknown rule, a reference cycle, or a name that is neither an API rule nor referred to by
    ///   any rule (a misspelt rule would otherwise be ignored silently).
    package init(file: PolicyFile) throws(PolicyFileError) {
        var rules = AccessPolicy.defaults.rules
        var lines: [String: Int] = [:]
        for entry in file.entries {
            do {
                rules[entry.name] = try PolicyParser.parse(entry.text)
            } catch {
                throw PolicyFileError(file: file.path, line: entry.line, rule: entry.name, message: error.message)
            }
            lines[entry.name] = entry.line
        }
        // Every `rule:NAME` must exist.
        for (name, rule) in rules.sorted(by: { $0.key < $1.key }) {
            for reference in rule.references where rules[reference] == nil {
                throw PolicyFileError(
                    file: file.path,
                    line: lines[name],
                    rule: name,
                    message: "refers to the unknown rule '\(reference)'"
                )
            }
        }
        // A name the API never checks must be used by another rule.
        let referenced = Set(rules.values.flatMap(\.references))
        let known = Set(Action.allCases.map(\.rawValue)).union(Self.baseRules.map(\.name))
        for entry in file.entries where !known.contains(entry.name) && !referenced.contains(entry.name) {
            let hint = entry.name.contains(":") ? " (not one of Bilean's rules; see bilean-server --print-policy)" : ""
            throw PolicyFileError(
                file: file.path,
                line: entry.line,
                rule: entry.name,
                message: "unknown rule name\(hint)"
            )
        }
        if let cycle = Self.cycle(in: rules) {
            throw PolicyFileError(
                file: file.path,
                line: lines[cycle[0]],
                rule: cycle[0],
                message: "reference cycle: \(cycle.joined(separator: " -> "))"
            )
        }
        self.rules = rules
    }

    /// Reads the policy file at `path` over the defaults.
    /// - Parameters:
    ///   - path: The file.
    ///   - required: Whether a missing file is an error (a configured `policy_file`) or means the defaults (the
    ///     default `policy.yaml` next to the configuration).
    /// - Returns: The policy.
    /// - Throws: ``PolicyFileError``.
    package static func load(
        path: String,
        required: Bool,
        fileExists: (String) -> Bool
    ) throws(PolicyFileError)
        -> AccessPolicy
    {
        guard fileExists(path) else {
            if required {
                throw PolicyFileError(file: path, line: nil, rule: nil, message: "the policy file does not exist")
            }
            return AccessPolicy()
        }
        return try AccessPolicy(file: try PolicyFile.load(path: path))
    }

    /// The rule of a name in force.
    package func rule(_ name: String) -> PolicyRule? { self.rules[name] }

    /// Whether `credentials` may perform `action` on `target`.
    /// - Parameters:
    ///   - action: The operation.
    ///   - credentials: The caller.
    ///   - target: The object's attributes (`project_id`); empty when it is about no one project.
    /// - Returns: `true` when allowed.
    package func enforce(_ action: Action, _ credentials: Credentials, target: [String: String]) -> Bool {
        guard let rule = self.rules[action.rawValue] else { return false }
        let subject = PolicyRule.Subject(
            credentials: credentials.policyAttributes,
            roles: credentials.roles,
            target: target
        )
        return rule.allows(subject) { self.rules[$0] }
    }

    /// Checks that `credentials` may perform `action` on objects of `project`.
    /// - Parameters:
    ///   - action: The operation.
    ///   - credentials: The caller.
    ///   - project: The project whose objects are touched (`nil`: not about one project).
    /// - Throws: ``BileanError`` (forbidden), with oslo.policy's message.
    package func authorize(
        _ action: Action,
        _ credentials: Credentials,
        project: String?
    ) throws(BileanError) {
        let target = project.map { ["project_id": $0] } ?? [:]
        guard self.enforce(action, credentials, target: target) else {
            throw BileanError(.forbidden, "Policy doesn't allow \(action.rawValue) to be performed.")
        }
    }

    /// The project a list is about: the one the request names; else every project when the rule allows it
    /// without a project (the administrator); else the caller's own.
    /// - Parameters:
    ///   - action: The list operation.
    ///   - credentials: The caller.
    ///   - requested: The `user_id` the request names, if any.
    /// - Returns: The project to list (`nil`: all).
    /// - Throws: ``BileanError`` (forbidden) for another project, or for a caller without one.
    package func listScope(
        _ action: Action,
        _ credentials: Credentials,
        requested: String?
    ) throws(BileanError) -> String? {
        if let requested {
            try self.authorize(action, credentials, project: requested)
            return requested
        }
        if self.enforce(action, credentials, target: [:]) { return nil }
        try self.authorize(action, credentials, project: credentials.projectID)
        return credentials.projectID
    }

    /// The defaults as a commented sample policy file, as `oslopolicy-sample-generator` writes one.
    package static func sampleFile() -> String {
        var text = """
            # Bilean's policy defaults (oslo.policy syntax). Copy a line, remove its '#' and change the rule to
            # override it; a rule that is not in the file keeps its default. Set [oslo_policy] policy_file in
            # bilean.conf, or put the file next to bilean.conf as policy.yaml.

            """
        for base in Self.baseRules {
            text += "\n# \(base.summary)\n#\"\(base.name)\": \"\(base.rule)\"\n"
        }
        for action in Action.allCases {
            let documentation = action.documentation
            text += "\n# \(documentation.summary)\n"
            for operation in documentation.operations { text += "# \(operation)\n" }
            text += "#\"\(action.rawValue)\": \"\(action.defaultRule)\"\n"
        }
        return text
    }

    private static func parseDefault(_ text: String) -> PolicyRule {
        do {
            return try PolicyParser.parse(text)
        } catch {
            // The defaults are constants of this file, checked by the tests.
            preconditionFailure("a default policy rule does not parse: \(text): \(error)")
        }
    }

    /// A reference cycle, as the names along it (first name repeated at the end), if any.
    private static func cycle(in rules: [String: PolicyRule]) -> [String]? {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            switch marks[name] {
            case .done: return nil
            case .visiting:
                guard let start = path.firstIndex(of: name) else { return [name, name] }
                return Array(path[start...]) + [name]
            case nil: break
            }
            marks[name] = .visiting
            path.append(name)
            for reference in rules[name]?.references ?? [] {
                if let cycle = visit(reference) { return cycle }
            }
            path.removeLast()
            marks[name] = .done
            return nil
        }
        for name in rules.keys.sorted() {
            if let cycle = visit(name) { return cycle }
        }
        return nil
    }
}
