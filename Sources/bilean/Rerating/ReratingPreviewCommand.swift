import ArgumentParser
import BileanClient
import BileanCore

/// `bilean rerating-preview`.
struct ReratingPreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerating-preview",
        abstract: "Price draft rules over a past window beside what was billed, without billing anything (admin).",
        discussion: """
            "Today's pricing" is what was billed for the window: the stored consumptions and the open intervals \
            up to the end of the window. The draft re-prices, within [--start-time, --end-time), every stretch \
            that the rule it replaces priced; outside the window nothing changes. Give each draft with --rule: \
            SPEC_FILE replaces whichever rule prices the spec's resource type in each user's policy; \
            RULE_ID=SPEC_FILE replaces that rule only. Spec files are YAML or JSON, read as rule-create reads \
            them (a spec file whose name holds '=' is given with a directory, ./a=b.yaml).

            Prints the preview's totals (current, draft, difference, exact decimals), then one line per user and \
            resource type: user_id, resource_type, resources, current, draft, difference. The server keeps the \
            preview: rerating-apply PREVIEW_ID records its differences.
            """
    )

    @Option(
        name: .customLong("start-time"),
        help: ArgumentHelp("The window's start, inclusive, ISO 8601 (e.g. 2026-11-01T00:00:00Z).", valueName: "time")
    )
    var startTime: String

    @Option(
        name: .customLong("end-time"),
        help: ArgumentHelp("The window's end, exclusive, ISO 8601; not in the future.", valueName: "time")
    )
    var endTime: String

    @Option(
        name: .customLong("user-id"),
        help: ArgumentHelp("Only this user (project); repeat for several (default: every user).", valueName: "id")
    )
    var userIDs: [String] = []

    @Option(
        name: .customLong("policy-id"),
        help: ArgumentHelp("Only the users priced by this policy (attached, or by default).", valueName: "id")
    )
    var policyID: String?

    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "A draft rule: SPEC_FILE, or RULE_ID=SPEC_FILE to replace that rule; repeat for several.",
            valueName: "[rule-id=]file"
        )
    )
    var rule: [ReratingRuleOption] = []

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        do {
            _ = try BillingTime(parsing: self.startTime, field: "--start-time")
            _ = try BillingTime(parsing: self.endTime, field: "--end-time")
        } catch {
            throw ValidationError(error.message)
        }
        guard !self.rule.isEmpty else {
            throw ValidationError("Give at least one --rule SPEC_FILE or --rule RULE_ID=SPEC_FILE.")
        }
    }

    func run() async throws {
        try await self.global.run { client in
            var drafts: [ReratingPreviewRequest.Rule] = []
            for rule in self.rule { drafts.append(try rule.draft()) }
            let preview = try await client.previewRerating(
                ReratingPreviewRequest(
                    startTime: self.startTime,
                    endTime: self.endTime,
                    userIDs: self.userIDs,
                    policyID: self.policyID,
                    rules: drafts
                )
            )
            self.global.printRerating(preview)
        }
    }
}
