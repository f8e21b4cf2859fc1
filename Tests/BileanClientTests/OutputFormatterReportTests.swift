import BileanCore
import Testing

@testable import BileanClient

@Suite("OutputFormatter.report")
struct OutputFormatterReportTests {
    let preview = JSONValue.object([
        "id": .string("pv1"),
        "current": .string("1.5"),
        "draft": .string("3"),
        "difference": .string("1.5"),
        "lines": .array([
            .object([
                "user_id": .string("p1"), "resource_type": .string("os.nova.server"), "resources": .number("2"),
                "current": .string("1.5"), "draft": .string("3"), "difference": .string("1.5"),
            ])
        ]),
    ])
    let columns = ["user_id", "resource_type", "resources", "current", "draft", "difference"]

    @Test func tableIsTheTotalsThenTheLines() {
        #expect(
            OutputFormatter.report(self.preview, listKey: "lines", columns: self.columns, format: .table) == """
                +------------+-------+
                | Property   | Value |
                +------------+-------+
                | current    | 1.5   |
                | difference | 1.5   |
                | draft      | 3     |
                | id         | pv1   |
                +------------+-------+
                +---------+----------------+-----------+---------+-------+------------+
                | user_id | resource_type  | resources | current | draft | difference |
                +---------+----------------+-----------+---------+-------+------------+
                | p1      | os.nova.server | 2         | 1.5     | 3     | 1.5        |
                +---------+----------------+-----------+---------+-------+------------+

                """
        )
    }

    @Test func valueIsTheTotalsThenOneLinePerRow() {
        #expect(
            OutputFormatter.report(self.preview, listKey: "lines", columns: self.columns, format: .value)
                == "1.5\n1.5\n3\npv1\np1 os.nova.server 2 1.5 3 1.5\n"
        )
    }

    @Test func jsonIsTheWholeObject() throws {
        let text = OutputFormatter.report(self.preview, listKey: "lines", columns: self.columns, format: .json)
        #expect(try JSONValue(jsonText: text) == self.preview)
    }

    @Test func noLinesStillShowsTheLinesHeader() {
        let text = OutputFormatter.report(
            .object(["id": .string("pv1"), "lines": .array([])]),
            listKey: "lines",
            columns: ["user_id"],
            format: .table
        )
        #expect(text.hasSuffix("| user_id |\n+---------+\n+---------+\n"), "\(text)")
    }
}
