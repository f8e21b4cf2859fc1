package import BileanCore
package import Hummingbird

/// Builds the v1 router: request ids, OpenStack errors, authentication, then every route at `/v1/X` and `/X`.
package enum APIRouter {
    /// The router of the whole API.
    /// - Parameters:
    ///   - engine: The billing engine (in process, or a remote one later).
    ///   - configuration: The API's settings.
    ///   - tokenValidator: Validates tokens when ``APIConfiguration/authStrategy`` is `keystone`.
    ///   - operations: `/healthz`, `/readyz` and `/metrics`, and where the requests are counted.
    /// - Returns: The router.
    /// - Throws: ``APIError`` when `keystone` authentication has no token validator.
    package static func make(
        engine: any AccountsService,
        configuration: APIConfiguration = APIConfiguration(),
        tokenValidator: (any TokenValidator)? = nil,
        operations: OperationsEndpoints = OperationsEndpoints()
    ) throws -> Router<APIRequestContext> {
        try self.build(
            engine: engine,
            configuration: configuration,
            tokenValidator: tokenValidator,
            operations: operations
        ).router
    }

    /// The router of the whole API, and the table that records its routes (``RouteTable/registered``).
    /// - Parameters:
    ///   - engine: The billing engine (in process, or a remote one later).
    ///   - configuration: The API's settings.
    ///   - tokenValidator: Validates tokens when ``APIConfiguration/authStrategy`` is `keystone`.
    ///   - operations: `/healthz`, `/readyz` and `/metrics`, and where the requests are counted.
    /// - Returns: The router and its routes.
    /// - Throws: ``APIError`` when `keystone` authentication has no token validator.
    package static func build(
        engine: any AccountsService,
        configuration: APIConfiguration = APIConfiguration(),
        tokenValidator: (any TokenValidator)? = nil,
        operations: OperationsEndpoints = OperationsEndpoints()
    ) throws -> (router: Router<APIRequestContext>, routes: RouteTable) {
        let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
        // Middlewares apply to the routes added after them; the first is the outermost.
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: RequestMetricsMiddleware(factory: operations.metricsFactory))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: BodyLimitMiddleware(maximumBodySize: configuration.maximumBodySize))
        switch configuration.authStrategy {
        case .noauth:
            router.add(middleware: NoAuthMiddleware(policy: configuration.policy))
        case .keystone:
            guard let tokenValidator else {
                throw APIError(.internalServerError, "auth_strategy = keystone needs a token validator")
            }
            router.add(
                middleware: KeystoneAuthMiddleware(
                    validator: tokenValidator,
                    policy: configuration.policy,
                    wwwAuthenticateURI: configuration.wwwAuthenticateURI
                )
            )
        }
        router.add(middleware: CallerContextMiddleware())
        let routes = RouteTable(router: router)
        OperationsController(endpoints: operations).addRoutes(to: routes)
        VersionController(publicEndpoint: configuration.publicEndpoint).addRoutes(to: routes)
        UsersController(engine: engine).addRoutes(to: routes)
        RulesController(engine: engine).addRoutes(to: routes)
        PoliciesController(engine: engine).addRoutes(to: routes)
        ResourcesController(engine: engine).addRoutes(to: routes)
        EventsController(engine: engine).addRoutes(to: routes)
        RejectedNotificationsController(engine: engine).addRoutes(to: routes)
        ConsumptionsController(engine: engine).addRoutes(to: routes)
        RechargesController(engine: engine).addRoutes(to: routes)
        ReratingController(engine: engine).addRoutes(to: routes)
        ReconciliationController(engine: engine).addRoutes(to: routes)
        OpenAPIController().addRoutes(to: routes)
        DashboardController().addRoutes(to: routes)
        return (router, routes)
    }

    /// The router of a role without the API (`[DEFAULT] metrics_port`): `/healthz`, `/readyz` and `/metrics`
    /// only, public, with request ids and OpenStack errors.
    /// - Parameter operations: What they serve.
    /// - Returns: The router.
    package static func makeOperations(_ operations: OperationsEndpoints) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMiddleware())
        OperationsController(endpoints: operations).addRoutes(to: RouteTable(router: router))
        return router
    }
}
