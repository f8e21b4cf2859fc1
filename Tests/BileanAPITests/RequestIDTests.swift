import Foundation
import Testing

@testable import BileanAPI

/// Request ids: `req-` and a random version 4 UUID in lower case, never repeated.
@Suite("Request ids")
struct RequestIDTests {
    @Test func idsAreLowerCaseVersion4UUIDsAndUnique() throws {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = RequestIDMiddleware.newID()
            #expect(
                id.wholeMatch(of: #/req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#) != nil
            )
            #expect(UUID(uuidString: String(id.dropFirst(4))) != nil)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }
}
