import Testing

@testable import BileanCore

private let novaProperties = JSONValue.object([
    "price_mapping": .array([.object(["flavor": .string("m1.tiny"), "price": .number("0.5")])]),
    "unit": .string("per_sec"),
])

private let cinderProperties = JSONValue.object([
    "price_mapping": .array([
        .object(["start": .number("0"), "end": .number("10"), "price": .number("1")]),
        .object(["start": .number("11"), "price": .number("2")]),
    ])
])

/// Every resource type of ``PluginRegistry/standard``, sorted.
private let standardTypes = [
    "os.cinder.snapshot", "os.cinder.volume", "os.generic", "os.glance.image", "os.neutron.floatingip",
    "os.neutron.router", "os.nova.server",
]

/// A valid spec's properties for each new type, a resource, and the rate of that resource in units per hour.
private let newTypeSpecs: [(String, JSONValue, [String: JSONValue], Int128)] = [
    // 0.01 per hour for every floating IP.
    ("os.neutron.floatingip", .object(["price": .number("0.01")]), [:], 10_000_000_000),
    // 0.02 per second for every router = 72 × 10¹² units per hour.
    ("os.neutron.router", .object(["price": .string("0.02"), "unit": .string("per_sec")]), [:], 72_000_000_000_000),
    // 0.1 per GiB per hour × 1.5 GiB (in bytes) = 0.15 per hour.
    (
        "os.glance.image", .object(["price": .string("0.1"), "unit": .string("per_hour")]),
        ["size": .number("1610612736")], 150_000_000_000
    ),
    // 0.05 per GB per hour × 10 GB = 0.5 per hour.
    ("os.cinder.snapshot", .object(["price": .number("0.05")]), ["size": .number("10")], 500_000_000_000),
]

private func spec(_ type: String, _ version: JSONValue, _ properties: JSONValue) -> JSONValue {
    .object(["type": .string(type), "version": version, "properties": properties])
}

/// A plugin that claims Nova servers with another spec version, to test replacement.
private struct OtherNovaPlugin: ResourcePlugin {
    let resourceType = "os.nova.server"
    let specVersions: Set<String> = ["2.0"]

    struct FlatPricer: ResourcePricer {
        func price(of properties: [String: JSONValue]) -> PriceQuote { PriceQuote(rate: .perHour(Money(integer: 7))) }
    }

    func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer { FlatPricer() }
}

@Suite("PluginRegistry")
struct PluginRegistryTests {
    let registry = PluginRegistry.standard

    private func invalid(_ value: JSONValue) -> BileanError? {
        #expect(throws: BileanError.self) { try self.registry.validate(spec: value) }
    }

    @Test func standardRegistryKnowsEveryShippedPlugin() {
        #expect(self.registry.resourceTypes == standardTypes)
        #expect(self.registry.plugin(for: "os.nova.server")?.resourceType == "os.nova.server")
        #expect(self.registry.plugin(for: "os.cinder.volume")?.resourceType == "os.cinder.volume")
        #expect(self.registry.plugin(for: "os.octavia.loadbalancer") == nil)
        #expect(self.registry.plugin(for: "") == nil)
    }

    @Test func validatesANovaSpecAndReturnsItsPricer() throws {
        let (parsed, pricer) = try self.registry.validate(spec: spec("os.nova.server", .number("1.0"), novaProperties))
        #expect(parsed.ruleType == "os.nova.server-1.0")
        #expect(parsed.properties == novaProperties)
        // 0.5 per second = 3600 × 0.5 × 10¹² = 1.8 × 10¹⁵ units per hour.
        #expect(pricer.price(of: ["flavor": .string("m1.tiny")]).rate.unitsPerHour == 1_800_000_000_000_000)
    }

    @Test(arguments: [JSONValue.number("1.0"), .number("1"), .string("1.0")])
    func acceptsVersionOneInEveryForm(version: JSONValue) throws {
        let (parsed, pricer) = try self.registry.validate(spec: spec("os.cinder.volume", version, cinderProperties))
        #expect(parsed.ruleType == "os.cinder.volume-1.0")
        #expect(pricer.price(of: ["size": .number("10")]).rate.unitsPerHour == 1_000_000_000_000)
        #expect(pricer.price(of: ["size": .number("11")]).rate.unitsPerHour == 2_000_000_000_000)
    }

    @Test(arguments: [
        "os.octavia.loadbalancer", "os.nova.servers", "OS.NOVA.SERVER", "os.neutron.floatingips", "os.glance", "nova",
    ])
    func unknownResourceTypeIsRejected(type: String) throws {
        let error = try #require(self.invalid(spec(type, .string("1.0"), novaProperties)))
        #expect(error.code == .invalidInput)
        #expect(error.field == "spec.type")
        #expect(error.message.contains(type))
        // The message lists the known types.
        #expect(error.message.contains(standardTypes.joined(separator: ", ")))
    }

    @Test(arguments: [JSONValue.string("2.0"), .number("2"), .string("1"), .number("1.1"), .string("1.0.0")])
    func unsupportedVersionIsRejected(version: JSONValue) throws {
        let error = try #require(self.invalid(spec("os.nova.server", version, novaProperties)))
        #expect(error.code == .invalidInput)
        #expect(error.field == "spec.version")
        #expect(error.message.contains("1.0"))
    }

    @Test func versionOfNumberTwoIsReportedAsTwoPointZero() throws {
        let error = try #require(self.invalid(spec("os.nova.server", .number("2"), novaProperties)))
        #expect(error.message.contains("'2.0'"))
    }

    @Test func specErrorsComeBeforePluginErrors() {
        // An unknown key in the spec is reported even though the properties are invalid too.
        let value = JSONValue.object([
            "type": .string("os.nova.server"), "version": .string("1.0"), "properties": .object([:]),
            "name": .string("x"),
        ])
        #expect(self.invalid(value)?.field == "spec.name")
        #expect(self.invalid(spec("os.nova.server", .string("1.0"), .array([])))?.field == "spec.properties")
        #expect(self.invalid(.object(["version": .string("1.0"), "properties": .object([:])]))?.field == "spec.type")
    }

    @Test func propertiesAreValidatedByThePlugin() throws {
        let error = try #require(self.invalid(spec("os.nova.server", .string("1.0"), cinderProperties)))
        #expect(error.code == .invalidInput)
        // A Cinder mapping given to Nova: `start`/`end` are unknown and `flavor` is missing.
        #expect(error.field == "spec.properties.price_mapping[0].end")
        #expect(error.message.contains("spec.properties.price_mapping[0].flavor"))
        let cinderError = try #require(
            self.invalid(spec("os.cinder.volume", .string("1.0"), .object(["price_mapping": .array([])])))
        )
        #expect(cinderError.field == "spec.properties.price_mapping")
    }

    // MARK: The flat and per-GB plugins

    @Test(arguments: ["os.neutron.floatingip", "os.neutron.router", "os.glance.image", "os.cinder.snapshot"])
    func standardRegistryFindsEachNewPlugin(type: String) throws {
        let plugin = try #require(self.registry.plugin(for: type))
        #expect(plugin.resourceType == type)
        #expect(plugin.specVersions == ["1.0"])
    }

    /// The rule-create path (`Engine.createRule` → ``PluginRegistry/validate(spec:)``) for each new type, with the
    /// version in every form a client sends, and the pricer it returns.
    @Test(arguments: newTypeSpecs)
    func validatesASpecOfEachNewType(
        type: String,
        properties: JSONValue,
        resource: [String: JSONValue],
        unitsPerHour: Int128
    ) throws {
        for version in [JSONValue.number("1.0"), .number("1"), .string("1.0")] {
            let (parsed, pricer) = try self.registry.validate(spec: spec(type, version, properties))
            #expect(parsed.resourceType == type)
            #expect(parsed.ruleType == "\(type)-1.0")
            #expect(parsed.properties == properties)
            let quote = pricer.price(of: resource)
            #expect(quote.rate.unitsPerHour == unitsPerHour)
            #expect(quote.warning == nil)
        }
    }

    @Test(arguments: ["os.neutron.floatingip", "os.neutron.router", "os.glance.image", "os.cinder.snapshot"])
    func newTypesRejectOtherVersionsAndInvalidProperties(type: String) throws {
        let flat = JSONValue.object(["price": .number("1")])
        let versionError = try #require(self.invalid(spec(type, .string("2.0"), flat)))
        #expect(versionError.code == .invalidInput)
        #expect(versionError.field == "spec.version")
        // A Cinder tier mapping given to a `{price, unit}` plugin: the mapping is unknown and the price missing.
        let error = try #require(self.invalid(spec(type, .string("1.0"), cinderProperties)))
        #expect(error.code == .invalidInput)
        #expect(error.field == "spec.properties.price_mapping")
        #expect(error.message.contains("spec.properties.price "))
        let negative = try #require(self.invalid(spec(type, .string("1.0"), .object(["price": .string("-1")]))))
        #expect(negative.field == "spec.properties.price")
    }

    @Test func laterPluginForTheSameTypeReplacesTheEarlierOne() throws {
        let registry = PluginRegistry([NovaServerPlugin(), CinderVolumePlugin(), OtherNovaPlugin()])
        #expect(registry.resourceTypes == ["os.cinder.volume", "os.nova.server"])
        #expect(registry.plugin(for: "os.nova.server")?.specVersions == ["2.0"])
        let error = #expect(throws: BileanError.self) {
            try registry.validate(spec: spec("os.nova.server", .string("1.0"), novaProperties))
        }
        #expect(error?.field == "spec.version")
        let (parsed, pricer) = try registry.validate(spec: spec("os.nova.server", .number("2"), .object([:])))
        #expect(parsed.ruleType == "os.nova.server-2.0")
        #expect(pricer.price(of: [:]).rate.unitsPerHour == 7_000_000_000_000)
    }

    @Test func emptyRegistryKnowsNothing() {
        let registry = PluginRegistry([])
        #expect(registry.resourceTypes.isEmpty)
        let error = #expect(throws: BileanError.self) {
            try registry.validate(spec: spec("os.nova.server", .string("1.0"), novaProperties))
        }
        #expect(error?.field == "spec.type")
    }
}
