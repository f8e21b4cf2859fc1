import Testing

@testable import BileanServer

@Suite struct INIFileTests {
    @Test func parsesSectionsOptionsCommentsAndContinuations() throws {
        let text = """
            # a comment
            ; another comment
            [DEFAULT]
            transport_url = rabbit://guest:guest@127.0.0.1:5672/
            debug=true

            [database]
            connection: sqlite:////var/lib/bilean/bilean.sqlite
            [bilean_api]
            bind_host = "0.0.0.0"
            bind_port = 8770
            [keystone_authtoken]
            auth_url = http://keystone:5000/v3
              http://keystone2:5000/v3
            bind_port = 9999
            """
        let file = try INIFile.parse(text, path: "bilean.conf")
        #expect(file.sections["DEFAULT"]?["transport_url"]?.value == "rabbit://guest:guest@127.0.0.1:5672/")
        #expect(file.sections["DEFAULT"]?["transport_url"]?.line == 4)
        #expect(file.sections["DEFAULT"]?["debug"]?.value == "true")
        #expect(file.sections["database"]?["connection"]?.value == "sqlite:////var/lib/bilean/bilean.sqlite")
        #expect(file.sections["bilean_api"]?["bind_host"]?.value == "0.0.0.0")
        #expect(
            file.sections["keystone_authtoken"]?["auth_url"]?.value
                == "http://keystone:5000/v3\nhttp://keystone2:5000/v3"
        )
        #expect(file.sections["keystone_authtoken"]?["bind_port"]?.value == "9999")
        #expect(file.sectionLines["bilean_api"] == 9)
    }

    @Test func theLastOfRepeatedOptionsWins() throws {
        let file = try INIFile.parse("[DEFAULT]\ndebug = false\ndebug = true\n", path: "f")
        #expect(file.sections["DEFAULT"]?["debug"] == INIFile.Entry(value: "true", line: 3))
    }

    @Test(arguments: [
        ("debug = true\n", 1, "outside any section"),
        ("[DEFAULT]\njust some words\n", 2, "expected 'option = value'"),
        ("[DEFAULT\n", 1, "malformed section header"),
        ("[]\n", 1, "malformed section header"),
        ("[DEFAULT]\n = value\n", 2, "without a name"),
    ])
    func malformedLinesNameTheFileAndLine(text: String, line: Int, reason: String) {
        #expect {
            try INIFile.parse(text, path: "/etc/bilean/bilean.conf")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.file == "/etc/bilean/bilean.conf" && error.line == line && error.message.contains(reason)
        }
    }

    @Test func windowsLineEndingsAreAccepted() throws {
        let file = try INIFile.parse("[database]\r\nconnection = sqlite:///b.sqlite\r\n", path: "f")
        #expect(file.sections["database"]?["connection"]?.value == "sqlite:///b.sqlite")
    }
}
