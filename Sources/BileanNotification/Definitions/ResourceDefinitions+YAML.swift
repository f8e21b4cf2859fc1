import BileanCore
import Yams

extension ResourceDefinitions {
    /// Loads definitions from the text of a definitions file.
    ///
    /// The whole file is checked before anything is used: every key must be known, every glob and path must
    /// compile, every `type` and `action` must be one the format knows. YAML aliases and explicit tags are refused.
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - source: What the text is, for messages: the file's path, or `shipped definitions`.
    /// - Throws: ``DefinitionsError`` with the line and column of the first problem found.
    package init(yaml text: String, source: String) throws(DefinitionsError) {
        let loader = DefinitionsLoader(source: source)
        self = try loader.load(text)
    }
}

/// Turns the YAML nodes of a definitions file into ``ResourceDefinitions``, failing on the first problem.
private struct DefinitionsLoader {
    let source: String

    private static let definitionKeys = ["event_type", "resources", "users"]
    private static let resourceKeys = ["resource_type", "action", "traits", "times"]
    private static let userKeys = ["action", "traits", "times"]
    private static let userTraits = ["user_id", "name"]
    private static let traitKeys = ["fields", "type"]
    private static let timeKeys = ["start", "end"]

    func failure(_ code: DefinitionsError.Code, _ message: String, at node: Node?) -> DefinitionsError {
        let mark = node?.mark
        return DefinitionsError(code, message, source: self.source, line: mark?.line, column: mark?.column)
    }

    func load(_ text: String) throws(DefinitionsError) -> ResourceDefinitions {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw self.syntaxFailure(error)
        } catch {
            throw DefinitionsError(.invalidYAML, "not valid YAML: \(error)", source: self.source)
        }
        guard let root else {
            throw DefinitionsError(.empty, "holds no definitions", source: self.source)
        }
        guard case .sequence(let entries) = root else {
            throw self.failure(.invalidValue, "must be a list of definitions, not a \(Self.kind(root))", at: root)
        }
        guard !entries.isEmpty else {
            throw self.failure(.empty, "holds no definitions", at: root)
        }
        var definitions: [EventDefinition] = []
        for entry in entries {
            definitions.append(try self.definition(entry))
        }
        return ResourceDefinitions(definitions)
    }

    private func syntaxFailure(_ error: YamlError) -> DefinitionsError {
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context, !context.text.isEmpty, context.text.count < 80 else { return problem }
            return "\(problem) (\(context.text))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return DefinitionsError(
                .invalidYAML,
                "not valid YAML: \(describe(context, problem))",
                source: self.source,
                line: mark.line,
                column: mark.column
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DefinitionsError(
                .duplicateKey,
                "the key '\(duplicates.first ?? "")' appears twice in one mapping",
                source: self.source,
                line: context.mark.line,
                column: context.mark.column
            )
        case .reader(let problem, _, _, _):
            return DefinitionsError(.invalidYAML, "not valid YAML: \(problem)", source: self.source)
        case .no, .memory, .writer, .emitter, .representer, .dataCouldNotBeDecoded:
            return DefinitionsError(.invalidYAML, "not valid YAML: \(error)", source: self.source)
        }
    }

    // MARK: Shapes

    private static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "scalar"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }

    /// The members of a mapping, by key, checked against the allowed keys; keys keep their nodes for messages.
    private func mapping(
        _ node: Node,
        allowed: [String]?,
        what: String
    ) throws(DefinitionsError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            if case .alias = node { throw self.failure(.invalidYAML, "YAML aliases are not supported", at: node) }
            throw self.failure(.invalidValue, "\(what) must be a mapping, not a \(Self.kind(node))", at: node)
        }
        try self.checkTag(node, expected: .map)
        var members: [(key: String, keyNode: Node, value: Node)] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            let key = try self.string(keyNode, what: "a key of \(what)")
            if let allowed, !allowed.contains(key) {
                throw self.failure(
                    .unknownKey,
                    "unknown key '\(key)' in \(what) (expected \(allowed.joined(separator: ", ")))",
                    at: keyNode
                )
            }
            guard seen.insert(key).inserted else {
                throw self.failure(.duplicateKey, "the key '\(key)' appears twice in \(what)", at: keyNode)
            }
            members.append((key, keyNode, value))
        }
        return members
    }

    private func checkTag(_ node: Node, expected: Tag.Name) throws(DefinitionsError) {
        guard node.tag.rawValue == expected.rawValue else {
            throw self.failure(.invalidYAML, "the YAML tag '\(node.tag.rawValue)' is not supported", at: node)
        }
    }

    /// A string scalar; plain scalars that YAML reads as numbers or booleans are refused.
    private func string(_ node: Node, what: String) throws(DefinitionsError) -> String {
        switch node {
        case .scalar(let scalar):
            guard node.tag.rawValue == Tag.Name.str.rawValue else {
                throw self.failure(
                    .invalidValue,
                    "\(what) must be a string, not '\(scalar.string)' (quote it to make it one)",
                    at: node
                )
            }
            return scalar.string
        case .alias:
            throw self.failure(.invalidYAML, "YAML aliases are not supported", at: node)
        case .mapping, .sequence:
            throw self.failure(.invalidValue, "\(what) must be a string, not a \(Self.kind(node))", at: node)
        }
    }

    /// A string, or a non-empty list of strings.
    private func strings(
        _ node: Node,
        what: String,
        emptyCode: DefinitionsError.Code
    ) throws(DefinitionsError) -> [(String, Node)] {
        guard case .sequence(let sequence) = node else {
            return [(try self.string(node, what: what), node)]
        }
        try self.checkTag(node, expected: .seq)
        guard !sequence.isEmpty else {
            throw self.failure(emptyCode, "\(what) is an empty list", at: node)
        }
        var items: [(String, Node)] = []
        for item in sequence {
            items.append((try self.string(item, what: "each entry of \(what)"), item))
        }
        return items
    }

    private func paths(_ node: Node, what: String) throws(DefinitionsError) -> [JSONPath] {
        var paths: [JSONPath] = []
        for (text, item) in try self.strings(node, what: what, emptyCode: .emptyFields) {
            do throws(JSONPath.SyntaxError) {
                paths.append(try JSONPath(text))
            } catch {
                throw self.failure(.invalidPath, "\(what): \(error.problem)", at: item)
            }
        }
        return paths
    }

    // MARK: Entries

    private func definition(_ node: Node) throws(DefinitionsError) -> EventDefinition {
        let what = "a definition"
        let members = try self.mapping(node, allowed: Self.definitionKeys, what: what)
        var matcher: EventTypeMatcher?
        var resources: [ResourceDefinition] = []
        var users: [UserDefinition] = []
        for (key, _, value) in members {
            switch key {
            case "event_type":
                var patterns: [String] = []
                for (pattern, item) in try self.strings(value, what: "event_type", emptyCode: .invalidGlob) {
                    do throws(Glob.SyntaxError) {
                        _ = try Glob(pattern.hasPrefix("!") ? String(pattern.dropFirst()) : pattern)
                    } catch {
                        throw self.failure(.invalidGlob, "event_type '\(pattern)': \(error.problem)", at: item)
                    }
                    patterns.append(pattern)
                }
                do throws(Glob.SyntaxError) {
                    matcher = try EventTypeMatcher(patterns)
                } catch {
                    throw self.failure(.invalidGlob, "event_type: \(error.problem)", at: value)
                }
            case "resources":
                for item in try self.list(value, what: "resources") {
                    resources.append(try self.resource(item))
                }
            case "users":
                for item in try self.list(value, what: "users") {
                    users.append(try self.user(item))
                }
            default:
                break  // rejected by `mapping`
            }
        }
        guard let matcher else {
            throw self.failure(.missingKey, "\(what) has no 'event_type'", at: node)
        }
        guard !resources.isEmpty || !users.isEmpty else {
            throw self.failure(.missingKey, "\(what) has neither 'resources' nor 'users'", at: node)
        }
        return EventDefinition(eventTypes: matcher, resources: resources, users: users, line: node.mark?.line ?? 0)
    }

    private func list(_ node: Node, what: String) throws(DefinitionsError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw self.failure(.invalidValue, "\(what) must be a list, not a \(Self.kind(node))", at: node)
        }
        try self.checkTag(node, expected: .seq)
        guard !sequence.isEmpty else { throw self.failure(.invalidValue, "\(what) is an empty list", at: node) }
        return Array(sequence)
    }

    private func resource(_ node: Node) throws(DefinitionsError) -> ResourceDefinition {
        let what = "a resource"
        var resourceType: String?
        var action: ResourceEvent.Action?
        var traits: [String: TraitDefinition] = [:]
        var traitsNode: Node?
        var times = TimeFields()
        for (key, _, value) in try self.mapping(node, allowed: Self.resourceKeys, what: what) {
            switch key {
            case "resource_type":
                let text = try self.string(value, what: "resource_type")
                guard text.isAcceptableID else {
                    throw self.failure(
                        .invalidValue,
                        "resource_type must be 1 to 255 characters, not blank, without control characters",
                        at: value
                    )
                }
                resourceType = text
            case "action":
                let text = try self.string(value, what: "action")
                guard let parsed = ResourceEvent.Action(rawValue: text) else {
                    throw self.failure(
                        .unknownAction,
                        "unknown action '\(text)' (expected create, update or delete)",
                        at: value
                    )
                }
                action = parsed
            case "traits":
                traitsNode = value
                traits = try self.traits(value, allowed: nil)
            case "times":
                times = try self.times(value)
            default:
                break
            }
        }
        guard let resourceType else { throw self.failure(.missingKey, "\(what) has no 'resource_type'", at: node) }
        guard let resourceRef = traits.removeValue(forKey: "resource_ref") else {
            throw self.failure(
                .missingKey,
                "\(what) has no trait 'resource_ref' (the resource id)",
                at: traitsNode ?? node
            )
        }
        let userID: TraitDefinition
        if let defined = traits.removeValue(forKey: "user_id") {
            userID = defined
        } else {
            var paths: [JSONPath] = []
            for text in ResourceDefinition.defaultUserIDPaths {
                do throws(JSONPath.SyntaxError) {
                    paths.append(try JSONPath(text))
                } catch {
                    preconditionFailure("the default user_id path '\(text)' does not parse: \(error.problem)")
                }
            }
            userID = TraitDefinition(name: "user_id", paths: paths)
        }
        try self.checkTimes(times, action: action, at: node)
        return ResourceDefinition(
            resourceType: resourceType,
            action: action,
            resourceRef: resourceRef,
            userID: userID,
            properties: traits,
            times: times
        )
    }

    private func user(_ node: Node) throws(DefinitionsError) -> UserDefinition {
        let what = "a user"
        var action: UserEvent.Action?
        var traits: [String: TraitDefinition] = [:]
        var traitsNode: Node?
        var times = TimeFields()
        for (key, _, value) in try self.mapping(node, allowed: Self.userKeys, what: what) {
            switch key {
            case "action":
                let text = try self.string(value, what: "action")
                guard let parsed = UserEvent.Action(rawValue: text) else {
                    throw self.failure(
                        .unknownAction,
                        "unknown user action '\(text)' (expected create or delete)",
                        at: value
                    )
                }
                action = parsed
            case "traits":
                traitsNode = value
                traits = try self.traits(value, allowed: Self.userTraits)
            case "times":
                times = try self.times(value)
            default:
                break
            }
        }
        guard let userID = traits["user_id"] else {
            throw self.failure(.missingKey, "\(what) has no trait 'user_id' (the project id)", at: traitsNode ?? node)
        }
        try self.checkTimes(
            times,
            action: action.map { $0 == .delete ? ResourceEvent.Action.delete : .create },
            at: node
        )
        return UserDefinition(action: action, userID: userID, name: traits["name"], times: times)
    }

    /// A definition with an explicit action must not name times it never reads.
    private func checkTimes(
        _ times: TimeFields,
        action: ResourceEvent.Action?,
        at node: Node
    ) throws(DefinitionsError) {
        switch action {
        case .delete:
            if !times.start.isEmpty {
                throw self.failure(.invalidValue, "times.start is never read by a delete (use times.end)", at: node)
            }
        case .create, .update:
            if !times.end.isEmpty {
                throw self.failure(
                    .invalidValue,
                    "times.end is read only by a delete, not by a \(action.map(\.rawValue) ?? "") (use times.start)",
                    at: node
                )
            }
        case .none:
            break
        }
    }

    private func traits(_ node: Node, allowed: [String]?) throws(DefinitionsError) -> [String: TraitDefinition] {
        var traits: [String: TraitDefinition] = [:]
        for (name, nameNode, value) in try self.mapping(node, allowed: allowed, what: "traits") {
            guard !name.isEmpty, !name.containsControlCharacters else {
                throw self.failure(.invalidValue, "a trait name must be a non-empty string", at: nameNode)
            }
            traits[name] = try self.trait(name, value)
        }
        return traits
    }

    private func trait(_ name: String, _ node: Node) throws(DefinitionsError) -> TraitDefinition {
        let what = "the trait '\(name)'"
        var paths: [JSONPath]?
        var type: TraitType?
        for (key, _, value) in try self.mapping(node, allowed: Self.traitKeys, what: what) {
            switch key {
            case "fields":
                paths = try self.paths(value, what: "\(what) fields")
            case "type":
                let text = try self.string(value, what: "\(what) type")
                guard let parsed = TraitType(rawValue: text) else {
                    throw self.failure(
                        .unknownType,
                        "unknown type '\(text)' for \(what) (expected string, int, float or datetime)",
                        at: value
                    )
                }
                type = parsed
            default:
                break
            }
        }
        guard let paths else { throw self.failure(.missingKey, "\(what) has no 'fields'", at: node) }
        return TraitDefinition(name: name, paths: paths, type: type)
    }

    private func times(_ node: Node) throws(DefinitionsError) -> TimeFields {
        var times = TimeFields()
        for (key, _, value) in try self.mapping(node, allowed: Self.timeKeys, what: "times") {
            switch key {
            case "start": times.start = try self.paths(value, what: "times.start")
            case "end": times.end = try self.paths(value, what: "times.end")
            default: break
            }
        }
        return times
    }
}
