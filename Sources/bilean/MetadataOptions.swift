import ArgumentParser
import BileanClient
import BileanCore

/// `-M/--metadata k=v;k2=v2`, shared by the commands that create or change rules and policies.
struct MetadataOptions: ParsableArguments {
    @Option(
        name: [.customShort("M"), .customLong("metadata")],
        help: ArgumentHelp("Metadata as key=value pairs separated by ';'; may repeat.", valueName: "k=v;k2=v2")
    )
    var pairs: [String] = []

    /// Whether no metadata was given.
    var isEmpty: Bool { self.pairs.isEmpty }

    func validate() throws {
        do {
            _ = try KeyValueList.metadata(self.pairs)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// The metadata object (`{}` when none was given).
    /// - Throws: ``BileanClientError`` for a malformed pair or a key given twice.
    func json() throws(BileanClientError) -> JSONValue {
        try KeyValueList.metadata(self.pairs)
    }
}
