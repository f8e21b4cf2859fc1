import ArgumentParser
import BileanClient

/// `bilean event-list`.
struct EventList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event-list",
        abstract: "List audit events (recharges, policy changes, freezes, resource changes, ...).",
        discussion: """
            Columns: id, timestamp, obj_type, obj_id, action, level, user_id. Filters: resource_type, \
            obj_type, obj_id, action, level. Sort keys: timestamp, obj_type, action, level.
            """
    )

    @OptionGroup var window: TimeWindow
    @OptionGroup var list: ListArguments
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let rows = try await self.list.fetch(
                ["events"],
                key: "events",
                query: self.window.query,
                client: client
            )
            self.global.printList(
                rows,
                columns: ["id", "timestamp", "obj_type", "obj_id", "action", "level", "user_id"]
            )
        }
    }
}
