import BileanTestSupport
import NIOCore
import Testing

@testable import AMQP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoder fuzzing: random, truncated and mutated frames must decode or throw ``AMQPError``: never trap, never hang.
/// Every frame that does decode must survive a re-encode and decode unchanged.
///
/// The suite runs a deterministic sample; `AMQP_FUZZ_ITERATIONS=5000000 swift test --filter longRun` runs the
/// long-run target for as many random multi-mutation inputs.
@Suite("AMQPFrameDecoder fuzz", .timeLimit(.minutes(10)))
struct AMQPFrameDecoderFuzzTests {
    /// What happened to the inputs of one run.
    struct Tally: CustomStringConvertible {
        var inputs = 0
        var frames = 0
        var typedErrors = 0
        var incomplete = 0
        var failures: [String] = []

        var description: String {
            "\(self.inputs) inputs: \(self.frames) frames decoded, \(self.typedErrors) typed errors, "
                + "\(self.incomplete) incomplete"
        }

        /// Decodes every frame of `bytes`, checking the invariants.
        mutating func check(_ bytes: ByteBuffer, maximumFrameSize: UInt32 = AMQPFrame.defaultMaximumFrameSize) {
            self.inputs += 1
            var decoder = AMQPFrameDecoder(maximumFrameSize: maximumFrameSize)
            var buffer = bytes
            // Each decoded frame consumes at least 8 bytes, so more rounds than this would be a hang.
            var rounds = bytes.readableBytes / AMQPFrame.overhead + 1
            do {
                while let frame = try decoder.decode(buffer: &buffer) {
                    self.frames += 1
                    self.checkRoundTrip(frame, input: bytes)
                    rounds -= 1
                    if rounds < 0 {
                        self.fail("decoder does not make progress", input: bytes)
                        return
                    }
                }
                self.incomplete += 1
            } catch {
                self.typedErrors += 1
            }
        }

        private mutating func checkRoundTrip(_ frame: AMQPFrame, input: ByteBuffer) {
            do {
                var encoded = ByteBuffer()
                try frame.encode(into: &encoded)
                var decoder = AMQPFrameDecoder(maximumFrameSize: 0)
                let again = try decoder.decode(buffer: &encoded)
                if again != frame || encoded.readableBytes != 0 {
                    self.fail("frame changed in a re-encode round trip", input: input)
                }
            } catch {
                self.fail("decoded frame does not re-encode: \(String(reflecting: error))", input: input)
            }
        }

        mutating func fail(_ what: String, input: ByteBuffer) {
            if self.failures.count < 10 {
                self.failures.append("\(what): \(input.bytes.map { String($0, radix: 16) }.joined(separator: " "))")
            }
        }

        func expectNoFailures(sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(self.failures.isEmpty, "\(self.failures.joined(separator: "\n"))", sourceLocation: sourceLocation)
        }
    }

    /// Valid frames: every method sample, content headers, bodies, a heartbeat.
    static func corpus(includingExtremes: Bool) throws -> [ByteBuffer] {
        var frames = (MethodSamples.nonDefault + MethodSamples.defaults).map { methodFrame($0, channel: 1) }
        if includingExtremes {
            frames += MethodSamples.extremes.map { methodFrame($0, channel: 0xFFFF) }
        }
        frames += [
            AMQPFrame(
                channel: 1,
                payload: .header(AMQPContentHeader(bodySize: 42, properties: AMQPPropertiesTests.all))
            ),
            AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 0))),
            AMQPFrame(
                channel: 1,
                payload: .header(AMQPContentHeader(bodySize: 1, properties: .init(contentType: "a", timestamp: 1)))
            ),
            AMQPFrame(channel: 1, payload: .body(ByteBuffer(string: "body"))),
            AMQPFrame.heartbeat,
        ]
        return try frames.map { try encoded($0) }
    }

    // MARK: The deterministic sample

    @Test func everyTruncationOfAValidFrameWaitsForMore() throws {
        var tally = Tally()
        for frame in try Self.corpus(includingExtremes: true) {
            for length in 0..<frame.readableBytes {
                var decoder = AMQPFrameDecoder()
                var prefix = frame.getSlice(at: frame.readerIndex, length: length) ?? ByteBuffer()
                tally.inputs += 1
                do {
                    if try decoder.decode(buffer: &prefix) != nil {
                        tally.fail("a truncated frame decoded", input: prefix)
                    } else {
                        tally.incomplete += 1
                    }
                } catch {
                    tally.fail("a truncated frame threw \(error)", input: prefix)
                }
            }
        }
        tally.expectNoFailures()
        print("fuzz truncations: \(tally)")
        #expect(tally.inputs > 10_000)
    }

    @Test func everyTruncationOfAPayloadIsHandled() throws {
        var tally = Tally()
        for frame in try Self.corpus(includingExtremes: true) {
            let type = frame.getInteger(at: 0, as: UInt8.self) ?? 0
            let payload = frame.getBytes(at: 7, length: frame.readableBytes - 8) ?? []
            for length in 0..<payload.count {
                tally.check(ByteBuffer(frameBytes(type: type, payload: Array(payload[..<length]))))
            }
        }
        tally.expectNoFailures()
        print("fuzz payload truncations: \(tally)")
        #expect(tally.typedErrors > 0)
    }

    @Test func singleByteMutationsAreHandled() throws {
        var random = SeededRandomNumberGenerator(seed: 0x5EED_0001)
        var tally = Tally()
        for frame in try Self.corpus(includingExtremes: false) {
            let bytes = frame.bytes
            for index in bytes.indices {
                let original = bytes[index]
                let bit = UInt8(1) << UInt8.random(in: 0..<8, using: &random)
                for replacement in [original ^ 0xFF, original ^ bit, UInt8.random(in: 0...255, using: &random)] {
                    var mutated = bytes
                    mutated[index] = replacement
                    tally.check(ByteBuffer(mutated))
                }
            }
        }
        tally.expectNoFailures()
        print("fuzz single-byte mutations: \(tally)")
        #expect(tally.inputs > 10_000)
    }

    @Test func randomBytesAreHandled() {
        var random = SeededRandomNumberGenerator(seed: 0x5EED_0002)
        var tally = Tally()
        let frameTypes: [UInt8] = [1, 2, 3, 8]
        for _ in 0..<5_000 {
            var bytes = (0..<Int.random(in: 0...96, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            if !bytes.isEmpty && Bool.random(using: &random) {
                bytes[0] = frameTypes.randomElement(using: &random) ?? 1
            }
            tally.check(ByteBuffer(bytes))
        }
        tally.expectNoFailures()
        print("fuzz random bytes: \(tally)")
    }

    @Test func randomArgumentsOfEveryMethodAreHandled() {
        // Valid frame envelope, valid class and method ids, random arguments: reaches every method decoder.
        var random = SeededRandomNumberGenerator(seed: 0x5EED_0003)
        var tally = Tally()
        for _ in 0..<30 {
            for (id, _) in MethodSamples.specMethods {
                let arguments = (0..<Int.random(in: 0...48, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
                let payload =
                    [
                        UInt8(id.classID >> 8), UInt8(id.classID & 0xFF), UInt8(id.methodID >> 8),
                        UInt8(id.methodID & 0xFF),
                    ]
                    + arguments
                tally.check(ByteBuffer(frameBytes(type: 1, payload: payload)))
            }
            let properties = (0..<Int.random(in: 0...48, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            tally.check(
                ByteBuffer(frameBytes(type: 2, payload: [0x00, 0x3C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9] + properties))
            )
        }
        tally.expectNoFailures()
        print("fuzz random arguments: \(tally)")
        #expect(tally.frames > 0)
    }

    // MARK: Long run

    /// The number of long-run inputs: `AMQP_FUZZ_ITERATIONS`, default 2,000.
    static var longRunIterations: Int {
        guard let value = getenv("AMQP_FUZZ_ITERATIONS") else { return 2_000 }
        return Int(String(cString: value)) ?? 2_000
    }

    /// The seed of the long run: `AMQP_FUZZ_SEED`, default fixed.
    static var longRunSeed: UInt64 {
        guard let value = getenv("AMQP_FUZZ_SEED") else { return 0x5EED_00FF }
        return UInt64(String(cString: value)) ?? 0x5EED_00FF
    }

    @Test func longRun() throws {
        let corpus = try Self.corpus(includingExtremes: true).map(\.bytes)
        var random = SeededRandomNumberGenerator(seed: Self.longRunSeed)
        var tally = Tally()
        for _ in 0..<Self.longRunIterations {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes += corpus.randomElement(using: &random) ?? []
            }
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                Self.mutate(&bytes, using: &random)
            }
            let maximumFrameSize: UInt32 = Bool.random(using: &random) ? AMQPFrame.defaultMaximumFrameSize : 4096
            tally.check(ByteBuffer(bytes), maximumFrameSize: maximumFrameSize)
        }
        tally.expectNoFailures()
        print("fuzz long run (seed \(Self.longRunSeed)): \(tally)")
    }

    static func mutate(_ bytes: inout [UInt8], using random: inout SeededRandomNumberGenerator) {
        guard !bytes.isEmpty else {
            bytes = [UInt8.random(in: 0...255, using: &random)]
            return
        }
        let index = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0: bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        case 1: bytes[index] = UInt8.random(in: 0...255, using: &random)
        case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
        case 3: bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...8, using: &random)))
        case 4: bytes.removeSubrange(index...)
        case 5:
            // An interesting value: a length or count boundary.
            let values: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0xCE, 0x46, 0x41, 0x53]
            bytes[index] = values.randomElement(using: &random) ?? 0
        case 6:
            let end = min(bytes.count, index + Int.random(in: 1...16, using: &random))
            bytes.insert(contentsOf: bytes[index..<end], at: end)
        default:
            // Rewrite the frame size field of the first frame so that it stays consistent with the new length.
            if bytes.count >= 8 {
                bytes.removeSubrange(index...)
                if bytes.count >= 7 {
                    let size = UInt32(bytes.count - 7)
                    bytes[3] = UInt8(size >> 24)
                    bytes[4] = UInt8((size >> 16) & 0xFF)
                    bytes[5] = UInt8((size >> 8) & 0xFF)
                    bytes[6] = UInt8(size & 0xFF)
                    bytes.append(0xCE)
                }
            }
        }
    }
}
