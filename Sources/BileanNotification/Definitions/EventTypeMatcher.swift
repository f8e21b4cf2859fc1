/// The event types one definition applies to: globs, some of them exclusions written with a leading `!`.
///
/// An event type matches when it matches at least one positive glob and none of the `!` ones, whatever their order
/// in the list: `[compute.instance.*.end, '!compute.instance.exists.end']`.
package struct EventTypeMatcher: Sendable, Hashable, CustomStringConvertible {
    /// The globs an event type must match one of.
    package let included: [Glob]
    /// The globs an event type must match none of (written with `!`).
    package let excluded: [Glob]

    /// Compiles a list of globs.
    /// - Parameter patterns: The globs; a leading `!` makes one an exclusion.
    /// - Throws: ``Glob/SyntaxError`` for a bad glob, an empty list, or a list of exclusions only.
    package init(_ patterns: [String]) throws(Glob.SyntaxError) {
        var included: [Glob] = []
        var excluded: [Glob] = []
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                let rest = String(pattern.dropFirst())
                do throws(Glob.SyntaxError) {
                    excluded.append(try Glob(rest))
                } catch {
                    throw Glob.SyntaxError(problem: "'\(pattern)': \(error.problem)")
                }
            } else {
                do throws(Glob.SyntaxError) {
                    included.append(try Glob(pattern))
                } catch {
                    throw Glob.SyntaxError(problem: "'\(pattern)': \(error.problem)")
                }
            }
        }
        guard !included.isEmpty else {
            throw Glob.SyntaxError(problem: "there must be at least one glob without '!'")
        }
        self.included = included
        self.excluded = excluded
    }

    /// Whether the definition applies to an event type.
    /// - Parameter eventType: The event type.
    /// - Returns: `true` when a positive glob matches it and no exclusion does.
    package func matches(_ eventType: String) -> Bool {
        self.included.contains { $0.matches(eventType) } && !self.excluded.contains { $0.matches(eventType) }
    }

    /// The globs as written, exclusions with their `!`.
    package var description: String {
        (self.included.map(\.pattern) + self.excluded.map { "!" + $0.pattern }).joined(separator: ", ")
    }
}
