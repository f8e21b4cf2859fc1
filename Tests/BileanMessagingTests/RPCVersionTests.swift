import Testing

@testable import BileanMessaging

struct RPCVersionTests {
    @Test(arguments: [
        ("1.3", "1.0", true), ("1.3", "1.3", true), ("1.3", "1.4", false), ("1.3", "2.0", false),
        ("2.0", "1.0", false), ("1.3", "1.3.0", true), ("1.3", "1.3.1", false), ("1.3.2", "1.3.1", true),
        ("1.3", "1.2.9", true),
    ])
    func servesAsOsloDecides(implemented: String, requested: String, served: Bool) throws {
        let implemented = try #require(RPCVersion(implemented))
        let requested = try #require(RPCVersion(requested))
        #expect(implemented.serves(requested) == served)
    }

    @Test(arguments: ["", "1", "1.", ".1", "a.b", "1.2.3.4", "-1.0", "1.0x", "1234567890.0"])
    func notAVersion(text: String) {
        #expect(RPCVersion(text) == nil)
    }

    @Test func description() {
        #expect(RPCVersion("1.2")?.description == "1.2")
        #expect(RPCVersion("1.2.0")?.description == "1.2")
        #expect(RPCVersion("1.2.3")?.description == "1.2.3")
    }
}
