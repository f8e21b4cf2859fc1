import ArgumentParser
import BileanClient
import BileanCore

/// One `--rule` of `rerating-preview`: `SPEC_FILE` (a draft for whichever rule prices the spec's resource type) or
/// `RULE_ID=SPEC_FILE` (a draft replacing that rule).
///
/// The text is split at its first `=` when the part before it is not empty and holds no `/`; so a spec file whose
/// name holds `=` is given with a directory (`./a=b.yaml`).
struct ReratingRuleOption: ExpressibleByArgument, Hashable {
    /// The rule the draft replaces, if named.
    var ruleID: String?
    /// The YAML or JSON file of the draft spec.
    var specFile: String

    init?(argument: String) {
        if let equals = argument.firstIndex(of: "=") {
            let ruleID = String(argument[..<equals])
            let specFile = String(argument[argument.index(after: equals)...])
            if !ruleID.isEmpty && !ruleID.contains("/") {
                guard !specFile.isEmpty else { return nil }
                self.ruleID = ruleID
                self.specFile = specFile
                return
            }
        }
        guard !argument.isEmpty else { return nil }
        self.ruleID = nil
        self.specFile = argument
    }

    /// The draft rule, with the spec read from its file (as `rule-create --spec-file` reads it).
    /// - Throws: ``BileanClientError`` when the file cannot be read, is not YAML or JSON, or is not a mapping.
    func draft() throws(BileanClientError) -> ReratingPreviewRequest.Rule {
        ReratingPreviewRequest.Rule(id: self.ruleID, spec: try RuleSpecFile.load(self.specFile))
    }
}
