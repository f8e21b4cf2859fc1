package import BileanCore

/// Rule specs used across tests.
package enum Specs {
    /// A Nova rule: prices per hour (or per second) by flavor name.
    /// - Parameters:
    ///   - prices: Flavor name → price text.
    ///   - unit: `per_hour` or `per_sec`.
    /// - Returns: The spec.
    package static func nova(_ prices: [(String, String)], unit: String = "per_hour") -> JSONValue {
        .object([
            "type": .string("os.nova.server"),
            "version": .number("1.0"),
            "properties": .object([
                "unit": .string(unit),
                "price_mapping": .array(prices.map { .object(["flavor": .string($0.0), "price": .number($0.1)]) }),
            ]),
        ])
    }

    /// A Cinder rule: size tiers in GB, both bounds inclusive.
    /// - Parameters:
    ///   - tiers: (start, end or nil, price text).
    ///   - unit: `per_hour` or `per_sec`.
    /// - Returns: The spec.
    package static func cinder(_ tiers: [(Int, Int?, String)], unit: String = "per_hour") -> JSONValue {
        .object([
            "type": .string("os.cinder.volume"),
            "version": .string("1.0"),
            "properties": .object([
                "unit": .string(unit),
                "price_mapping": .array(
                    tiers.map { tier in
                        var item: [String: JSONValue] = ["start": .number("\(tier.0)"), "price": .number(tier.2)]
                        if let end = tier.1 { item["end"] = .number("\(end)") }
                        return .object(item)
                    }
                ),
            ]),
        ])
    }
}
