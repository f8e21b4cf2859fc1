import BileanCore
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `GET /v1/openapi.json`: the served document parses, is OpenAPI 3.1, describes exactly the router's `/v1`
/// routes, documents every operation's errors as the OpenStack error body, and the version document links to it.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// The HTTP methods an OpenAPI path item may describe.
    static let operationMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The document, parsed by Core's exact reader.
    static func document() throws -> JSONValue {
        try ExactJSONReader.parse(Array(OpenAPIDocument.json.utf8), maximumDepth: JSONValue.maximumDepth)
    }

    /// Follows a local `$ref` (`#/components/...`), as many times as it takes.
    static func resolve(_ value: JSONValue, in document: JSONValue) throws -> JSONValue {
        var value = value
        var hops = 0
        while let reference = value["$ref"]?.stringValue {
            let pointer = try #require(reference.hasPrefix("#/") ? reference.dropFirst(2) : nil, "\(reference)")
            var target = document
            // The document's component names need no `~0`/`~1` escapes.
            for token in pointer.split(separator: "/") {
                target = try #require(target[String(token)], "\(reference) does not resolve")
            }
            value = target
            hops += 1
            try #require(hops < 16, "\(reference) is a reference cycle")
        }
        return value
    }

    /// Every operation: `METHOD /path` and the operation object.
    static func operations(_ document: JSONValue) throws -> [(String, JSONValue)] {
        let paths = try #require(document["paths"]?.objectValue)
        var operations: [(String, JSONValue)] = []
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            for method in Self.operationMethods {
                if let operation = item[method] { operations.append(("\(method.uppercased()) \(path)", operation)) }
            }
        }
        return operations
    }

    /// The parameters of an operation, its path item's included, resolved, by name.
    static func parameters(_ key: String, _ operation: JSONValue, in document: JSONValue) throws -> [String: JSONValue]
    {
        let path = String(try #require(key.split(separator: " ").last))
        let shared = document["paths"]?[path]?["parameters"]?.arrayValue ?? []
        var parameters: [String: JSONValue] = [:]
        for parameter in shared + (operation["parameters"]?.arrayValue ?? []) {
            let resolved = try Self.resolve(parameter, in: document)
            parameters[try #require(resolved["name"]?.stringValue)] = resolved
        }
        return parameters
    }

    @Test(arguments: ["/v1/openapi.json", "/openapi.json"])
    func theServedDocumentIsOpenAPI31(_ path: String) async throws {
        try await APITestHarness.withAPI { context in
            let response = try await context.api.get(path)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            expectRequestID(response)
            #expect(response.text == OpenAPIDocument.json)
            let document = try ExactJSONReader.parse(Array(response.text.utf8), maximumDepth: JSONValue.maximumDepth)
            let version = try #require(document["openapi"]?.stringValue)
            #expect(version.wholeMatch(of: #/3\.1\.[0-9]+/#) != nil, "openapi: \(version)")
            #expect(document["info"]?["title"]?.stringValue?.isEmpty == false)
            #expect(document["info"]?["version"]?.stringValue == "1.0")
        }
    }

    @Test func theDocumentNeedsNoTokenUnderKeystone() async throws {
        try await APITestHarness.withAPI(
            configuration: KeystoneAuthMiddlewareTests.configuration,
            tokenValidator: FakeTokenValidator.standard
        ) { context in
            let response = try await context.api.get("/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.text == OpenAPIDocument.json)
            // The routes it describes still need one.
            #expect(try await context.api.get("/v1/users").status == .unauthorized)
        }
    }

    @Test func theOperationsAreExactlyTheRoutersV1Routes() throws {
        let (_, routes) = try APIRouter.build(engine: FailingEngine(error: Boom()))
        let registered = Set(
            routes.registered.filter { $0.path == "/v1" || $0.path.hasPrefix("/v1/") }.map { route in
                // The router's `:id` is OpenAPI's `{id}`.
                let path = route.path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                    segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
                }
                return "\(route.method.rawValue) \(path.joined(separator: "/"))"
            }
        )
        let documented = Set(try Self.operations(try Self.document()).map(\.0))
        #expect(registered.count > 20)
        let onlyDocumented = documented.subtracting(registered).sorted()
        let onlyRouted = registered.subtracting(documented).sorted()
        #expect(documented == registered, "only documented: \(onlyDocumented); only routed: \(onlyRouted)")
        // Only /v1 paths are described.
        #expect(documented.allSatisfy { $0.contains(" /v1") })
    }

    @Test func everyOperationDocumentsItsErrorsAsTheOpenStackBody() throws {
        let document = try Self.document()
        for (key, operation) in try Self.operations(document) {
            let responses = try #require(operation["responses"]?.objectValue, "\(key) has no responses")
            let statuses = Set(responses.keys)
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(key) documents no success")
            #expect(statuses.contains("400"), "\(key): 400 (a bad X-Project-Id, parameter or body)")
            let isPublic = operation["security"]?.arrayValue?.isEmpty == true
            if !isPublic {
                for status in ["401", "403", "500", "503", "504"] {
                    #expect(statuses.contains(status), "\(key) does not document \(status)")
                }
            }
            if key.contains("{") { #expect(statuses.contains("404"), "\(key) has an id but no 404") }
            if operation["requestBody"] != nil {
                for status in ["413", "415"] {
                    #expect(statuses.contains(status), "\(key) has a body but no \(status)")
                }
            }
            for (status, response) in responses where !status.hasPrefix("2") {
                let resolved = try Self.resolve(response, in: document)
                let schema = try #require(resolved["content"]?["application/json"]?["schema"], "\(key) \(status)")
                let parts = try #require(schema["allOf"]?.arrayValue, "\(key) \(status) is not the error body")
                #expect(parts.first?["$ref"]?.stringValue == "#/components/schemas/Error", "\(key) \(status)")
                #expect(parts.last?["properties"]?["code"]?["const"]?.numberText == status, "\(key) \(status)")
                #expect(resolved["headers"]?["x-openstack-request-id"] != nil, "\(key) \(status)")
            }
        }
    }

    @Test func theErrorSchemaIsTheBodyTheServerRenders() throws {
        let schema = try #require(try Self.document()["components"]?["schemas"]?["Error"])
        let rendered = OpenStackErrorBody(status: .notFound, type: "NotFound", message: "User not found: x").json
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        #expect(Set(try #require(rendered.objectValue).keys) == required)
        let inner = Set((schema["properties"]?["error"]?["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        #expect(Set(try #require(rendered["error"]?.objectValue).keys) == inner)
    }

    @Test func everyReferenceResolves() throws {
        let document = try Self.document()
        var references: [String] = []
        func collect(_ value: JSONValue) {
            if let object = value.objectValue {
                if let reference = object["$ref"]?.stringValue { references.append(reference) }
                for member in object.values { collect(member) }
            } else if let array = value.arrayValue {
                for element in array { collect(element) }
            }
        }
        collect(document)
        #expect(references.count > 100)
        for reference in Set(references) {
            _ = try Self.resolve(.object(["$ref": .string(reference)]), in: document)
        }
    }

    /// Each list's documented query parameters are the ones it reads: paging, the window, its own and its filters.
    @Test(arguments: [
        ("GET /v1/users", ListKeys.users, false, false),
        ("GET /v1/rules", ListKeys.rules, false, false),
        ("GET /v1/policies", ListKeys.policies, false, false),
        ("GET /v1/resources", ListKeys.resources, true, false),
        ("GET /v1/events", ListKeys.events, true, true),
        ("GET /v1/consumptions", ListKeys.consumptions, true, true),
        ("GET /v1/recharges", ListKeys.recharges, true, true),
        ("GET /v1/rejected-notifications", ListKeys.rejectedNotifications, false, true),
    ])
    func aListDocumentsItsParameters(_ key: String, _ keys: ListKeys, _ byUser: Bool, _ window: Bool) throws {
        let document = try Self.document()
        let operation = try #require(try Self.operations(document).first { $0.0 == key }?.1)
        let parameters = try Self.parameters(key, operation, in: document)
        var expected = Set(["limit", "marker", "sort_keys", "sort_key", "sort_dir", "show_deleted"]).union(
            keys.filterable
        )
        if byUser { expected.insert("user_id") }
        if window { expected.formUnion(["start_time", "end_time"]) }
        #expect(Set(parameters.keys) == expected)
        for name in ["sort_keys", "sort_key"] {
            let items = try Self.resolve(try #require(parameters[name]?["schema"]?["items"]), in: document)
            let sortable = Set((items["enum"]?.arrayValue ?? []).compactMap(\.stringValue))
            #expect(sortable == keys.sortable, "\(key) \(name)")
        }
    }

    @Test func theRuleSpecTypesAreThePluginsTypes() throws {
        let spec = try #require(try Self.document()["components"]?["schemas"]?["RuleSpec"])
        let types = (spec["properties"]?["type"]?["enum"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(types == PluginRegistry.standard.resourceTypes)
    }

    /// The longest query and path a request the document allows can have, percent-encoded: every string
    /// character taken as a 4-byte UTF-8 one (12 bytes encoded).
    static func longestQuery(_ key: String, _ operation: JSONValue, in document: JSONValue) throws -> Int {
        func longest(_ schema: JSONValue) throws -> Int {
            let schema = try Self.resolve(schema, in: document)
            if let values = schema["enum"]?.arrayValue {
                return values.map { ($0.stringValue ?? "").utf8.count * 3 }.max() ?? 0
            }
            switch schema["type"]?.stringValue {
            case "integer": return 20
            case "boolean": return 5
            case "string" where schema["format"]?.stringValue == "date-time": return 64
            default:
                let maximum = try #require(Int(schema["maxLength"]?.numberText ?? ""), "\(key): no maxLength")
                return maximum * 12
            }
        }
        var length = key.utf8.count
        for (name, parameter) in try Self.parameters(key, operation, in: document) {
            let schema = try Self.resolve(try #require(parameter["schema"]), in: document)
            if schema["type"]?.stringValue == "array" {
                let count = try #require(Int(schema["maxItems"]?.numberText ?? ""), "\(key) \(name): no maxItems")
                length += count * (name.utf8.count + 2 + (try longest(try #require(schema["items"]))))
            } else {
                length += name.utf8.count + 2 + (try longest(schema))
            }
        }
        return length
    }

    /// Regression (schemathesis): a list request with many long filter values went past the 80 KiB of request
    /// line and headers the HTTP layer reads, and was refused with a 400 without a body. The document bounds every
    /// query value and list, so that any request it allows fits with room to spare (a fuzzer's negative case adds
    /// one more value or a longer one).
    @Test func everyRequestTheDocumentAllowsFitsTheHTTPLayer() throws {
        let document = try Self.document()
        for (key, operation) in try Self.operations(document) {
            let length = try Self.longestQuery(key, operation, in: document)
            #expect(length < 64 * 1024, "\(key): up to \(length) bytes of query")
        }
    }

    @Test func theVersionDocumentLinksToIt() async throws {
        try await APITestHarness.withAPI { context in
            for (path, version) in [
                ("/v1", try await context.api.object("/v1", "version")),
                (
                    "/",
                    try #require(try expectSuccess(try await context.api.get("/"), .multipleChoices)["versions"]?[0])
                ),
            ] {
                let links = try #require(version["links"]?.arrayValue, "\(path)")
                let described = links.filter { $0.text("rel") == "describedby" }
                #expect(described.count == 1, "\(path)")
                #expect(described.first?.text("type") == OpenAPIDocument.mediaType)
                #expect(described.first?.text("href") == "http://localhost/v1/openapi.json")
            }
        }
    }
}

extension JSONValue {
    /// The element `index` of an array, or `nil`.
    fileprivate subscript(index: Int) -> JSONValue? {
        guard let array = self.arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
