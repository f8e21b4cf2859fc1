extension SizeTier {
    /// Validates a list of tiers `[{start, end, price}]`: whole numbers ≥ 0, `start` 0 when absent, `end` optional
    /// in the last tier only, both bounds inclusive, no overlaps. Shared by every rule priced by tiers of a number
    /// (Cinder volumes, `os.generic`'s `per_unit`).
    /// - Parameters:
    ///   - list: The tiers as given.
    ///   - path: The list's path, e.g. `spec.properties.price_mapping`.
    ///   - validator: Where the problems are recorded.
    /// - Returns: The valid tiers, sorted by `start`.
    package static func parse(_ list: [JSONValue], at path: String, validator: inout SpecValidator) -> [SizeTier] {
        if list.isEmpty { validator.fail(path, "must list at least one tier") }
        var tiers: [SizeTier] = []
        for (index, entry) in list.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let item = entry.objectValue else {
                validator.fail(itemPath, "must be an object with start, end and price")
                continue
            }
            validator.rejectUnknownKeys(item, allowed: ["start", "end", "price"], at: itemPath)
            let price = validator.price(item["price"], at: "\(itemPath).price")
            let start = validator.size(item["start"] ?? .number("0"), at: "\(itemPath).start")
            var end: Int64?
            if let endValue = item["end"], endValue != .null {
                end = validator.size(endValue, at: "\(itemPath).end")
                if end == nil { continue }
            }
            guard let start, let price else { continue }
            if let end, end < start {
                validator.fail("\(itemPath).end", "must be ≥ start (\(start))")
                continue
            }
            tiers.append(SizeTier(start: start, end: end, price: price, index: index))
        }
        tiers.sort { $0.start < $1.start }
        for (previous, next) in zip(tiers, tiers.dropFirst()) {
            // Both bounds are inclusive, so tiers overlap unless previous.end < next.start.
            guard let previousEnd = previous.end else {
                validator.fail("\(path)[\(previous.index)].end", "an open tier must be the last one")
                continue
            }
            if previousEnd >= next.start {
                validator.fail("\(path)[\(next.index)].start", "overlaps tier \(previous.index) (bounds are inclusive)")
            }
        }
        return tiers
    }
}
