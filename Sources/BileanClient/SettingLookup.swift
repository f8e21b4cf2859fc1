/// Finds a setting the way the OpenStack clients do: the command-line option, else the first environment
/// variable that is set. Empty values count as absent everywhere.
struct SettingLookup: Sendable {
    /// The process environment.
    let environment: [String: String]

    /// Creates a lookup over an environment.
    /// - Parameter environment: The process environment.
    init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// The option if it is given and not empty, else the first non-empty environment variable of `names`.
    /// - Parameters:
    ///   - option: The command-line option's value, if given.
    ///   - names: The environment variables, preferred first.
    /// - Returns: The value, or `nil`.
    func value(_ option: String?, _ names: String...) -> String? {
        if let option, !option.isEmpty { return option }
        return self.fromEnvironment(names)
    }

    /// The first non-empty environment variable of `names`.
    /// - Parameter names: The environment variables, preferred first.
    /// - Returns: The value, or `nil`.
    func fromEnvironment(_ names: [String]) -> String? {
        for name in names {
            if let value = self.environment[name], !value.isEmpty { return value }
        }
        return nil
    }

    /// The text, or `nil` when it is `nil` or empty.
    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
