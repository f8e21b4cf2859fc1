/// Prices any resource type from its properties, with no code: rule type `os.generic`, spec version 1.0.
///
/// ```yaml
/// type: os.generic
/// version: 1.0
/// properties:
///   resource_type: os.octavia.loadbalancer   # the type the definitions file gives the resources
///   unit: per_hour                           # per_hour (the default) | per_sec
///   price_mapping:                           # either: by the value of one property
///     property: flavor_id
///     prices: [{value: small, price: 0.02}, {value: large, price: 0.1}]
///   # or: per unit of a whole-number property, at the price of the tier the value falls in
///   # per_unit: {property: size, tiers: [{start: 0, end: 100, price: 0.001}, {start: 101, price: 0.0008}]}
/// ```
///
/// Exactly one of `price_mapping` and `per_unit` is given:
/// - `price_mapping`: a resource whose `property` has the text of a `value` (`small` matches `"small"`, `2` matches
///   `2` and `"2"`) costs that `price`; values are unique.
/// - `per_unit`: a resource costs `price × value`, exactly, where `value` is its whole-number `property` and `price`
///   that of the tier holding the value. The tier is chosen by the value, not graduated; both bounds are inclusive
///   and `end` may be omitted in the last tier, as in ``CinderVolumePlugin``.
///
/// The rule prices `resource_type` (its ``RuleSpec/resourceType``, and `<resource_type>-1.0` its rule type), which
/// may be any type but one that has its own plugin (``PluginRegistry/validate(spec:)`` refuses those). A resource
/// that cannot be priced (no such property, a value with no price, a number in no tier) costs 0 with a warning.
package struct GenericRulePlugin: ResourcePlugin {
    /// The spec type, `os.generic`.
    package static let type = "os.generic"
    /// The longest `resource_type`, so that the rule type `<resource_type>-<version>` stays within 255 characters.
    package static let maximumResourceTypeLength = 200

    package let resourceType = Self.type
    package let specVersions: Set<String> = ["1.0"]

    /// Creates the plugin.
    package init() {}

    package func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer {
        try Self.parse(properties).pricer
    }

    package func pricedResourceType(properties: JSONValue) -> String {
        properties["resource_type"]?.stringValue ?? self.resourceType
    }

    /// Validates an `os.generic` spec's properties.
    /// - Parameter properties: The spec's `properties`.
    /// - Returns: The priced resource type and the pricer.
    /// - Throws: ``BileanError`` (invalid input) naming the first invalid field and listing all of them.
    package static func parse(
        _ properties: JSONValue
    ) throws(BileanError) -> (resourceType: String, pricer: any ResourcePricer) {
        let base = "spec.properties"
        guard let object = properties.objectValue else {
            throw BileanError.invalid(base, "Invalid rule spec: \(base) must be an object")
        }
        var validator = SpecValidator()
        validator.rejectUnknownKeys(object, allowed: ["resource_type", "unit", "price_mapping", "per_unit"], at: base)
        let resourceType = Self.resourceType(object["resource_type"], at: "\(base).resource_type", &validator)
        let unit = validator.unit(object["unit"], at: "\(base).unit")
        var pricer: (any ResourcePricer)?
        switch (object["price_mapping"], object["per_unit"]) {
        case (.some(let mapping), .none):
            pricer = Self.valuePricer(mapping, unit: unit, at: "\(base).price_mapping", &validator)
        case (.none, .some(let perUnit)):
            pricer = Self.perUnitPricer(perUnit, unit: unit, at: "\(base).per_unit", &validator)
        case (.some, .some):
            validator.fail("\(base).per_unit", "cannot be given with price_mapping: give exactly one of them")
        case (.none, .none):
            validator.fail("\(base).price_mapping", "is required (or per_unit): give exactly one of them")
        }
        try validator.check()
        guard let resourceType, let pricer else {
            // Not reached: each part records a problem when it returns nil, and check() throws then.
            throw BileanError.invalid(base, "Invalid rule spec: \(base) is not a valid os.generic spec")
        }
        return (resourceType, pricer)
    }

    /// Reads `resource_type`: 1 to ``maximumResourceTypeLength`` ASCII letters, digits, `.`, `_` or `-`.
    private static func resourceType(
        _ value: JSONValue?,
        at path: String,
        _ validator: inout SpecValidator
    ) -> String? {
        guard let value else {
            validator.fail(path, "is required (the resource type to price, e.g. os.octavia.loadbalancer)")
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty, text.utf8.count <= Self.maximumResourceTypeLength,
            text.utf8.allSatisfy(Self.isTypeByte)
        else {
            validator.fail(
                path,
                "must be a resource type of 1 to \(Self.maximumResourceTypeLength) letters, digits, '.', '_' or '-'"
            )
            return nil
        }
        guard text != Self.type else {
            validator.fail(path, "cannot be \(Self.type) itself: name the resource type the rule prices")
            return nil
        }
        return text
    }

    private static func isTypeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Reads `property`: the name of a resource property, a non-empty string of at most 255 characters.
    private static func property(
        _ object: [String: JSONValue],
        at path: String,
        _ validator: inout SpecValidator
    ) -> String? {
        guard let text = object["property"]?.stringValue, !text.isEmpty, text.count <= 255 else {
            validator.fail("\(path).property", "is required: the name of a resource property (a string)")
            return nil
        }
        return text
    }

    /// Reads `price_mapping: {property, prices: [{value, price}]}`.
    private static func valuePricer(
        _ value: JSONValue,
        unit: PriceUnit,
        at path: String,
        _ validator: inout SpecValidator
    ) -> ValuePricer? {
        guard let object = value.objectValue else {
            validator.fail(path, "must be an object with property and prices")
            return nil
        }
        validator.rejectUnknownKeys(object, allowed: ["property", "prices"], at: path)
        let property = Self.property(object, at: path, &validator)
        guard let list = object["prices"]?.arrayValue else {
            validator.fail("\(path).prices", "is required and must be a list of {value, price}")
            return nil
        }
        if list.isEmpty { validator.fail("\(path).prices", "must list at least one price") }
        var prices: [String: Money] = [:]
        var firstIndex: [String: Int] = [:]
        for (index, entry) in list.enumerated() {
            let itemPath = "\(path).prices[\(index)]"
            guard let item = entry.objectValue else {
                validator.fail(itemPath, "must be an object with value and price")
                continue
            }
            validator.rejectUnknownKeys(item, allowed: ["value", "price"], at: itemPath)
            let price = validator.price(item["price"], at: "\(itemPath).price")
            guard let key = item["value"].flatMap(ValuePricer.key) else {
                validator.fail("\(itemPath).value", "is required: a string, number or boolean")
                continue
            }
            if let first = firstIndex[key] {
                validator.fail("\(itemPath).value", "repeats prices[\(first)] ('\(key)')")
                continue
            }
            firstIndex[key] = index
            if let price { prices[key] = price }
        }
        guard let property else { return nil }
        return ValuePricer(property: property, prices: prices, unit: unit)
    }

    /// Reads `per_unit: {property, tiers: [{start, end, price}]}`.
    private static func perUnitPricer(
        _ value: JSONValue,
        unit: PriceUnit,
        at path: String,
        _ validator: inout SpecValidator
    ) -> PerUnitPricer? {
        guard let object = value.objectValue else {
            validator.fail(path, "must be an object with property and tiers")
            return nil
        }
        validator.rejectUnknownKeys(object, allowed: ["property", "tiers"], at: path)
        let property = Self.property(object, at: path, &validator)
        guard let list = object["tiers"]?.arrayValue else {
            validator.fail("\(path).tiers", "is required and must be a list of {start, end, price}")
            return nil
        }
        let tiers = SizeTier.parse(list, at: "\(path).tiers", validator: &validator)
        guard let property else { return nil }
        return PerUnitPricer(property: property, tiers: tiers, unit: unit)
    }
}
