import BileanCore
import Testing

@testable import BileanClient

@Suite("OutputFormatter")
struct OutputFormatterTests {
    let users: [JSONValue] = [
        .object([
            "id": .string("u1"), "name": .string("alice"), "balance": .string("99.99972222"),
            "credit": .string("0"), "rate": .string("0.000277777778"), "status": .string("ACTIVE"),
            "extra": .string("ignored"),
        ]),
        .object(["id": .string("u-two"), "name": .null, "balance": .string("1.1")]),
    ]

    @Test func listTableHasBordersHeaderAndBlankMissingCells() {
        let text = OutputFormatter.list(self.users, columns: ["id", "name", "balance", "status"], format: .table)
        #expect(
            text == """
                +-------+-------+-------------+--------+
                | id    | name  | balance     | status |
                +-------+-------+-------------+--------+
                | u1    | alice | 99.99972222 | ACTIVE |
                | u-two |       | 1.1         |        |
                +-------+-------+-------------+--------+

                """
        )
    }

    @Test func emptyListTableHasOnlyTheHeader() {
        #expect(
            OutputFormatter.list([], columns: ["id", "name"], format: .table) == """
                +----+------+
                | id | name |
                +----+------+
                +----+------+

                """
        )
    }

    @Test func nestedValuesAreCompactJSONAndBooleansAreWords() {
        let rows: [JSONValue] = [
            .object([
                "id": .string("p1"),
                "rules": .array([.object(["id": .string("r1"), "type": .string("os.nova.server-1.0")])]),
                "is_default": .bool(true),
                "count": .number("1.0"),
            ])
        ]
        #expect(
            OutputFormatter.list(rows, columns: ["id", "rules", "is_default", "count"], format: .value)
                == #"p1 [{"id":"r1","type":"os.nova.server-1.0"}] true 1.0"# + "\n"
        )
    }

    @Test func multiLineCellsSpanSeveralLines() {
        let text = OutputFormatter.table(header: ["k", "v"], rows: [["a", "one\ntwo"], ["bb", ""]])
        #expect(
            text == """
                +----+-----+
                | k  | v   |
                +----+-----+
                | a  | one |
                |    | two |
                | bb |     |
                +----+-----+

                """
        )
    }

    @Test func objectTableListsEveryKeySorted() {
        let rule = JSONValue.object([
            "name": .string("nova"),
            "id": .string("r1"),
            "spec": .object([
                "version": .number("1.0"), "type": .string("os.nova.server"),
                "properties": .object(["price": .number("0.1")]),
            ]),
            "deleted_at": .null,
        ])
        #expect(
            OutputFormatter.object(rule, format: .table) == """
                +------------+--------------------------------------------------------------------+
                | Property   | Value                                                              |
                +------------+--------------------------------------------------------------------+
                | deleted_at |                                                                    |
                | id         | r1                                                                 |
                | name       | nova                                                               |
                | spec       | {"properties":{"price":0.1},"type":"os.nova.server","version":1.0} |
                +------------+--------------------------------------------------------------------+

                """
        )
    }

    @Test func objectValueIsOneValuePerLineInKeyOrder() {
        let object = JSONValue.object(["validation": .bool(false)])
        #expect(OutputFormatter.object(object, format: .value) == "false\n")
        let user = JSONValue.object(["status": .string("FREEZE"), "balance": .string("0"), "policy_id": .null])
        #expect(OutputFormatter.object(user, format: .value) == "0\n\nFREEZE\n")
    }

    @Test func valueListIsEmptyForNoRows() {
        #expect(OutputFormatter.list([], columns: ["id"], format: .value) == "")
    }

    @Test func jsonIsPrettySortedAndExact() {
        let text = OutputFormatter.list(
            [
                .object([
                    "b": .number("0.30000000000000004"), "a": .string("quote \" back\\slash\nnew\ttab\u{01}"),
                    "c": .array([]), "d": .object([:]), "e": .array([.number("1.0"), .null, .bool(true)]),
                ])
            ],
            columns: ["a"],
            format: .json
        )
        #expect(
            text == """
                [
                  {
                    "a": "quote \\" back\\\\slash\\nnew\\ttab\\u0001",
                    "b": 0.30000000000000004,
                    "c": [],
                    "d": {},
                    "e": [
                      1.0,
                      null,
                      true
                    ]
                  }
                ]

                """
        )
    }

    @Test func jsonOfAnObject() {
        #expect(
            OutputFormatter.object(.object(["validation": .bool(true)]), format: .json)
                == "{\n  \"validation\": true\n}\n"
        )
    }

    @Test func cells() {
        #expect(OutputFormatter.cell(nil) == "")
        #expect(OutputFormatter.cell(.null) == "")
        #expect(OutputFormatter.cell(.number("1e3")) == "1e3")
        #expect(OutputFormatter.cell(.string("é ü")) == "é ü")
        #expect(OutputFormatter.cell(.object(["k": .string("/")])) == #"{"k":"/"}"#)
    }

    @Test func controlCharactersFromTheServerNeverReachTheTerminal() {
        let hostile = JSONValue.object(["na\u{1B}me": .string("x\u{1B}[2J\ry\u{07}"), "ok": .string("a\nb")])
        let text = OutputFormatter.object(hostile, format: .table)
        #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" || $0 == "\u{07}" })
        #expect(text.contains(#"x\u{1B}[2J\u{D}y\u{7}"#))
        #expect(text.contains(#"na\u{1B}me"#))
        #expect(OutputFormatter.cell(.string("a\nb")) == "a\nb")
    }
}
