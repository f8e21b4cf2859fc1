/// What a freeze asks the cloud to do to one of the user's resources (`[freeze] action`), kept until it is done.
package struct CloudAction: Sendable, Hashable {
    /// What to do.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Stop the resource (a Nova server: `os-stop`).
        case stop
        /// Delete the resource (a server, volume, snapshot, image, router or floating IP).
        case delete
        /// Give a floating IP back to the pool (Neutron `DELETE /v2.0/floatingips/{id}`): the project loses the
        /// address, which is what it is billed for.
        case release
        /// Start a server a freeze stopped (`os-start`), after a thaw with `[freeze] restart_on_thaw = true`.
        case start
    }

    /// The action's id.
    package var id: String
    /// The frozen user.
    package var userID: String
    /// The resource.
    package var resourceID: String
    /// Its type (`os.nova.server`, `os.cinder.volume`, …).
    package var resourceType: String
    /// What to do.
    package var kind: Kind
    /// How many attempts failed so far.
    package var attempts: Int
    /// When to try next.
    package var nextAttemptAt: BillingTime
    /// Why the last attempt failed.
    package var lastError: String?
    /// When the freeze asked for it.
    package var createdAt: BillingTime

    /// Creates an action.
    package init(
        id: String,
        userID: String,
        resourceID: String,
        resourceType: String,
        kind: Kind,
        attempts: Int = 0,
        nextAttemptAt: BillingTime,
        lastError: String? = nil,
        createdAt: BillingTime
    ) {
        self.id = id
        self.userID = userID
        self.resourceID = resourceID
        self.resourceType = resourceType
        self.kind = kind
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
    }
}

/// What the cloud answered to a ``CloudAction``.
package enum CloudActionResult: Sendable, Hashable {
    /// The cloud accepted it; the text says what was done.
    case done(String)
    /// The resource was already in that state, or in one the action cannot change (Nova's 409): nothing was done.
    case unchanged(String)
    /// The resource no longer exists in the cloud: nothing is left to do.
    case alreadyGone
    /// Nothing to do for this resource type and action (e.g. stopping a volume); the text says why.
    case notApplicable(String)
}

/// Carries out freeze actions against the cloud's APIs (Nova, Cinder). Implemented by `BileanOpenStack`.
package protocol CloudActionExecutor: Sendable {
    /// Performs an action once.
    /// - Parameter action: The action.
    /// - Returns: What the cloud answered.
    /// - Throws: ``CloudActionError`` when it failed; `isRetryable` says whether a later attempt may succeed.
    func perform(_ action: CloudAction) async throws(CloudActionError) -> CloudActionResult
}

/// Why a cloud action failed.
package struct CloudActionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether trying again later may succeed (network, 5xx, 409 conflicts, auth outages); `false` for answers that
    /// will not change (400, 403 on the resource, a service missing from the catalog).
    package var isRetryable: Bool
    /// What happened, for the event and the log (never a token or password).
    package var message: String

    /// Creates an error.
    package init(retryable: Bool, _ message: String) {
        self.isRetryable = retryable
        self.message = message
    }

    package var description: String { self.message }
}
