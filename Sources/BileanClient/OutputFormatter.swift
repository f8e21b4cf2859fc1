package import BileanCore

/// Renders API answers as text in an ``OutputFormat``. Pure: the CLI prints what it returns.
///
/// Every non-empty output ends with a newline; an empty one (a `value` listing of no rows) is `""`.
package enum OutputFormatter {
    /// Renders a list.
    /// - Parameters:
    ///   - rows: The rows (objects).
    ///   - columns: The keys shown by `table` and `value`, in order (`json` shows whole rows).
    ///   - format: The format.
    /// - Returns: The text.
    package static func list(_ rows: [JSONValue], columns: [String], format: OutputFormat) -> String {
        switch format {
        case .table:
            return self.table(header: columns, rows: rows.map { row in columns.map { self.cell(row[$0]) } })
        case .json:
            return JSONWriter.pretty(.array(rows)) + "\n"
        case .value:
            return rows.map { row in columns.map { self.cell(row[$0]) }.joined(separator: " ") + "\n" }.joined()
        }
    }

    /// Renders one object (or, for `json`, any value).
    /// - Parameters:
    ///   - object: The object.
    ///   - format: The format.
    /// - Returns: The text: a `Property | Value` table of every key in order, pretty JSON, or one value per
    ///   line in key order.
    package static func object(_ object: JSONValue, format: OutputFormat) -> String {
        let members = object.objectValue ?? [:]
        let keys = members.keys.sorted()
        switch format {
        case .table:
            return self.table(
                header: ["Property", "Value"],
                rows: keys.map { [self.printable($0), self.cell(members[$0])] }
            )
        case .json:
            return JSONWriter.pretty(object) + "\n"
        case .value:
            return keys.map { self.cell(members[$0]) + "\n" }.joined()
        }
    }

    /// The text of one value in a table or `value` output: strings and numbers as they are, `true`/`false`,
    /// empty for `null` or a missing key, compact JSON for arrays and objects.
    /// - Parameter value: The value, `nil` for a missing key.
    package static func cell(_ value: JSONValue?) -> String {
        switch value {
        case .none, .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text), .string(let text): return self.printable(text)
        case .array, .object: return value.map(JSONWriter.compact) ?? ""
        }
    }

    /// The text with control characters other than line breaks shown as `\u{XX}`, so that a value from the
    /// server can never drive the terminal (escape sequences, carriage returns, bells).
    /// - Parameter text: The text.
    /// - Returns: The printable text.
    package static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) else {
            return text
        }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control && scalar != "\n" {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// An ASCII table with a border, a header row and left-aligned cells, as PrettyTable draws it for the
    /// OpenStack clients. A cell with line breaks spans several lines.
    /// - Parameters:
    ///   - header: The column titles.
    ///   - rows: The cells of each row (as many as titles).
    /// - Returns: The table, ending with a newline.
    package static func table(header: [String], rows: [[String]]) -> String {
        let split = { (cell: String) -> [String] in
            cell.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        }
        let headerLines = header.map { [$0] }
        let rowLines = rows.map { $0.map(split) }
        var widths = header.map(\.count)
        for row in rowLines {
            for (column, lines) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], lines.map(\.count).max() ?? 0)
            }
        }
        let border = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+\n"
        func render(_ cells: [[String]]) -> String {
            let height = cells.map(\.count).max() ?? 1
            var text = ""
            for line in 0..<max(height, 1) {
                text += "|"
                for (column, width) in widths.enumerated() {
                    let lines = column < cells.count ? cells[column] : []
                    let part = line < lines.count ? lines[line] : ""
                    text += " " + part + String(repeating: " ", count: width - part.count) + " |"
                }
                text += "\n"
            }
            return text
        }
        var output = border + render(headerLines) + border
        for row in rowLines { output += render(row) }
        return output + border
    }
}
