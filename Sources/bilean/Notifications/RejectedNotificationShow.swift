import ArgumentParser
import BileanClient

/// `bilean rejected-notification-show`.
struct RejectedNotificationShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejected-notification-show",
        abstract: "Show a notification the listener set aside (admin only).",
        discussion: "Prints its reason, exchange, routing key, size and the first 4 KiB of its body."
    )

    @Argument(help: "The rejected notification's id.")
    var id: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let answer = try await client.get(["rejected-notifications", self.id])
            self.global.printObject(try client.member(answer, key: "rejected_notification"))
        }
    }
}
