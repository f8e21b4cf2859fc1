import ArgumentParser
import BileanClient

/// `bilean rerating-apply`.
struct ReratingApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerating-apply",
        abstract: "Apply a re-rating preview: record its differences as rerate consumptions (admin).",
        discussion: """
            Recomputes the preview under the users' locks and records, per resource, a signed consumption of \
            cause rerate carrying the reason and the re-rating's id (the preview id), so that the balances move \
            by the differences. From then on a late event for the window replays at the re-rated prices. \
            Applying the same preview again changes nothing and prints the first apply.

            Prints the re-rating's totals (current, draft, difference; consumptions: how many were recorded), \
            then one line per user and resource type.
            """
    )

    @Argument(help: "The preview id (from rerating-preview).")
    var previewID: String

    @Option(help: ArgumentHelp("Why, in your words; kept with every consumption recorded.", valueName: "text"))
    var reason: String

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard !self.reason.allSatisfy(\.isWhitespace) else {
            throw ValidationError("--reason must not be empty.")
        }
    }

    func run() async throws {
        try await self.global.run { client in
            self.global.printRerating(try await client.applyRerating(previewID: self.previewID, reason: self.reason))
        }
    }
}
