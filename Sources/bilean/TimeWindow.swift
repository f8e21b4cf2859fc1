import ArgumentParser
import BileanClient

/// The `--user-id`, `--start` and `--end` options of the event and consumption commands.
struct TimeWindow: ParsableArguments {
    @Option(name: .customLong("user-id"), help: ArgumentHelp("Only this user's rows.", valueName: "id"))
    var userID: String?

    @Option(
        help: ArgumentHelp(
            "Only rows at or after this instant, ISO 8601 (e.g. 2026-11-26T10:00:00Z).",
            valueName: "time"
        )
    )
    var start: String?

    @Option(help: ArgumentHelp("Only rows before this instant, ISO 8601.", valueName: "time"))
    var end: String?

    /// `user_id`, `start_time` and `end_time`, those given.
    var query: QueryParameters {
        var query = QueryParameters()
        query.append("user_id", self.userID)
        query.append("start_time", self.start)
        query.append("end_time", self.end)
        return query
    }
}
