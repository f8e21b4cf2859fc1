/// An RPC interface version, `major.minor` with an optional `.revision`, compared as oslo.messaging does
/// (`oslo_messaging._utils.version_is_compatible`).
package struct RPCVersion: Sendable, Hashable, CustomStringConvertible {
    /// Incompatible changes.
    package var major: Int
    /// Compatible additions.
    package var minor: Int
    /// Fixes (0 when absent).
    package var revision: Int

    /// Parses `M.m` or `M.m.r` (decimal digits only, at most 9 each).
    /// - Parameter text: The version text.
    /// - Returns: The version, or `nil` when the text is not one.
    package init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 9, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let number = Int(part)
            else { return nil }
            numbers.append(number)
        }
        self.major = numbers[0]
        self.minor = numbers[1]
        self.revision = numbers.count == 3 ? numbers[2] : 0
    }

    /// `M.m`, or `M.m.r` when the revision is not 0.
    package var description: String {
        self.revision == 0 ? "\(self.major).\(self.minor)" : "\(self.major).\(self.minor).\(self.revision)"
    }

    /// Whether an implementation of this version serves a request for `requested`: the same major version, and a
    /// minor (then revision) no newer than this one.
    /// - Parameter requested: The version the caller asked for.
    /// - Returns: Whether it is served.
    package func serves(_ requested: RPCVersion) -> Bool {
        guard requested.major == self.major else { return false }
        if requested.minor != self.minor { return requested.minor < self.minor }
        return requested.revision <= self.revision
    }
}
