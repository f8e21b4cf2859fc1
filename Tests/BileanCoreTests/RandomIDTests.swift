import Foundation
import Testing

@testable import BileanCore

@Suite("RandomID")
struct RandomIDTests {
    /// The text of any sixteen bytes is Foundation's, lower-cased.
    @Test func textIsFoundationsLowerCased() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var bytes: RandomID.UUIDBytes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &bytes) { raw in
                for index in raw.indices { raw[index] = UInt8.random(in: 0...255, using: &generator) }
            }
            #expect(RandomID.text(of: bytes) == UUID(uuid: bytes).uuidString.lowercased())
        }
        let ends: RandomID.UUIDBytes = (0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff)
        #expect(RandomID.text(of: ends) == "00ff00ff-00ff-00ff-00ff-00ff00ff00ff")
    }

    /// Identifiers are version-4 UUIDs (RFC 9562 variant) that Foundation reads back, and do not repeat — across
    /// many refills of the pool and from several threads at once.
    @Test func identifiersAreDistinctVersion4UUIDs() async {
        let perTask = 20_000
        let all = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<perTask).map { _ in RandomID.uuid() } }
            }
            var all: [String] = []
            for await part in group { all += part }
            return all
        }
        #expect(Set(all).count == 4 * perTask)
        for id in all.prefix(5_000) {
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
        }
        // Every hexadecimal digit occurs in every free position over many identifiers: the bytes are not constant.
        for position in [0, 9, 15, 20, 35] {
            #expect(Set(all.prefix(5_000).map { Array($0)[position] }).count == 16)
        }
    }

    /// Time-ordered ids: version 7, the variant bits set, the given milliseconds in their first 48 bits, so that
    /// ids of later milliseconds sort after earlier ones (as text too); distinct within one millisecond.
    @Test func timeOrderedIdentifiersSortByTheirMillisecond() {
        let start: UInt64 = 1_765_000_000_000
        var previous = ""
        var seen: Set<String> = []
        for step in 0..<2_000 {
            let milliseconds = start + UInt64(step / 4)
            let id = RandomID.timeOrdered(milliseconds: milliseconds)
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect(characters[14] == "7")
            #expect("89ab".contains(characters[19]))
            let hex = String(id.prefix(8)) + String(id.dropFirst(9).prefix(4))
            #expect(UInt64(hex, radix: 16) == milliseconds)
            if step % 4 == 0 { #expect(id > previous) }
            #expect(seen.insert(id).inserted)
            previous = id
        }
        // By default, the system's clock.
        let now = RandomID.unixMilliseconds()
        let made = RandomID.timeOrdered()
        let hex = String(made.prefix(8)) + String(made.dropFirst(9).prefix(4))
        let stamped = UInt64(hex, radix: 16) ?? 0
        #expect(stamped >= now && stamped < now + 10_000)
        #expect(now > 1_700_000_000_000)
    }
}
