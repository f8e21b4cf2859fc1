import ArgumentParser
import BileanClient

/// `bilean rejected-notification-list`.
struct RejectedNotificationList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejected-notification-list",
        abstract: "List the notifications the listener set aside (admin only).",
        discussion: """
            A notification that cannot be billed (not JSON, a wrong envelope, a missing or ill-typed field, a \
            trait that no path finds) is acknowledged and recorded here with its reason and the start of its body. \
            Columns: id, received_at, code, event_type, message_id, reason. Filters: code, event_type, \
            message_id, exchange. Sort keys: received_at, code, event_type.
            """
    )

    @OptionGroup var list: ListArguments
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let rows = try await self.list.fetch(
                ["rejected-notifications"],
                key: "rejected_notifications",
                query: QueryParameters(),
                client: client
            )
            self.global.printList(
                rows,
                columns: ["id", "received_at", "code", "event_type", "message_id", "reason"]
            )
        }
    }
}
