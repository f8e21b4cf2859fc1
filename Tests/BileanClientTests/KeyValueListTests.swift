import BileanCore
import Testing

@testable import BileanClient

@Suite("KeyValueList")
struct KeyValueListTests {
    @Test func splitsOnSemicolonsAndTheFirstEquals() throws {
        let pairs = try KeyValueList.pairs(["a=1;b=x=y;;c=", "a=2"], option: "--filter")
        #expect(pairs.map(\.key) == ["a", "b", "c", "a"])
        #expect(pairs.map(\.value) == ["1", "x=y", "", "2"])
        #expect(try KeyValueList.pairs([], option: "--filter").isEmpty)
    }

    @Test func metadataIsAnObjectOfStrings() throws {
        #expect(
            try KeyValueList.metadata(["K=V;K2=V2", "n=10"])
                == .object(["K": .string("V"), "K2": .string("V2"), "n": .string("10")])
        )
        #expect(try KeyValueList.metadata([]) == .object([:]))
    }

    @Test(arguments: [["novalue"], ["=v"], ["a=1;oops"], ["a=1", "a=2"]])
    func rejectsMalformedMetadata(texts: [String]) throws {
        let error = try #require(throws: BileanClientError.self) { try KeyValueList.metadata(texts) }
        #expect(error.code == .invalidInput)
    }
}
