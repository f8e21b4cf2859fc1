package import BileanCore

/// How one trait is read from a notification: the paths to try, in order, and an optional type.
package struct TraitDefinition: Sendable, Hashable {
    /// The trait's name: a resource property (`flavor`, `size`), or `resource_ref`, `user_id`, `name`.
    package var name: String
    /// The paths to try; the first that finds a value other than `null` or `""` wins.
    package var paths: [JSONPath]
    /// The type the value is converted to; `nil` keeps the JSON value as it is.
    package var type: TraitType?

    /// Creates a trait definition.
    /// - Parameters:
    ///   - name: The trait's name.
    ///   - paths: The paths to try, in order (at least one).
    ///   - type: The conversion, if any.
    package init(name: String, paths: [JSONPath], type: TraitType? = nil) {
        self.name = name
        self.paths = paths
        self.type = type
    }

    /// What reading a trait found.
    package enum Reading: Sendable, Hashable {
        /// A value, converted to the trait's type, found at `path`.
        case found(JSONValue, path: JSONPath)
        /// No path found a value (or every one found `null` or `""`).
        case absent
    }

    /// Reads the trait from a notification document.
    /// - Parameter document: The notification object.
    /// - Returns: The converted value of the first path that finds one, or ``Reading/absent``.
    /// - Throws: The path and the conversion error when the first value found does not convert: a later path is
    ///   not tried then, since a value of the wrong form is a fault of the sender or of the definition.
    package func read(
        in document: [String: JSONValue]
    ) throws(TraitReadError) -> Reading {
        for path in self.paths {
            guard let value = path.value(in: document), !Self.isBlank(value) else { continue }
            guard let type = self.type else { return .found(value, path: path) }
            do throws(TraitType.ConversionError) {
                return .found(try type.convert(value), path: path)
            } catch {
                throw TraitReadError(path: path, problem: error.problem)
            }
        }
        return .absent
    }

    /// Whether a value counts as not set: `null` or the empty string (legacy Nova sends `"deleted_at": ""`).
    static func isBlank(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .string(let text): return text.isEmpty
        case .bool, .number, .array, .object: return false
        }
    }

    /// The paths as written, for messages: `payload.tenant_id, payload.project_id`.
    package var pathList: String {
        self.paths.map(\.text).joined(separator: ", ")
    }
}

/// A trait's value that was found but does not convert to the trait's type.
package struct TraitReadError: Error, Sendable, Hashable {
    /// Where the value was found.
    package var path: JSONPath
    /// Why it does not convert.
    package var problem: String
}
