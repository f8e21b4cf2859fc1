import ArgumentParser
import BileanClient

/// `bilean resource-show`.
struct ResourceShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resource-show",
        abstract: "Show a chargeable resource.",
        discussion: "Prints every property of the resource; its properties (flavor, size, ...) as JSON."
    )

    @Argument(help: "The resource id.")
    var id: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await self.global.run { client in
            let answer = try await client.get(["resources", self.id])
            self.global.printObject(try client.member(answer, key: "resource"))
        }
    }
}
