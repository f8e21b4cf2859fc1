import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// New random identifiers: version-4 UUIDs in lower-case text (`8-4-4-4-12` hexadecimal digits), as
/// `UUID().uuidString.lowercased()` gives them, without its cost.
///
/// Foundation's `UUID()` on Linux opens, reads and closes `/dev/urandom` for every identifier: three system calls and
/// a path lookup, about 2 % of the writer thread's time while a backlog of notifications drains (one audit event per
/// resource event; `strace` showed 2,500 opens a second). Here the random bytes come from the system's generator
/// 4 KiB at a time, shared by every thread under a lock: one system call per 256 identifiers.
package enum RandomID {
    /// A new random (version 4, RFC 9562) UUID, in lower case.
    package static func uuid() -> String {
        var bytes = Self.pool.withLock { $0.take() }
        // Version 4 in the high nibble of byte 6, variant 10xx in the high bits of byte 8.
        bytes.6 = (bytes.6 & 0x0f) | 0x40
        bytes.8 = (bytes.8 & 0x3f) | 0x80
        return Self.text(of: bytes)
    }

    /// A new time-ordered (version 7, RFC 9562) UUID, in lower case: the first 48 bits are the Unix time in
    /// milliseconds (big-endian), the other 74 free bits random.
    ///
    /// For the ids Bilean stores under a unique index (audit events, consumptions, recharges, RPC results): ids made
    /// one after the other sort one after the other, so that each new row of a batch lands in the index's last page
    /// instead of a random one. With random (version 4) ids every insert into an index of N rows wrote a page of its
    /// own once N outgrew a batch: a batch of 500 notifications wrote ~400 index pages for its audit events alone.
    /// Ids made within the same millisecond are in no particular order among themselves.
    /// - Parameter milliseconds: The Unix time in milliseconds (the system's clock by default).
    package static func timeOrdered(milliseconds: UInt64 = RandomID.unixMilliseconds()) -> String {
        var bytes = Self.pool.withLock { $0.take() }
        bytes.0 = UInt8(truncatingIfNeeded: milliseconds >> 40)
        bytes.1 = UInt8(truncatingIfNeeded: milliseconds >> 32)
        bytes.2 = UInt8(truncatingIfNeeded: milliseconds >> 24)
        bytes.3 = UInt8(truncatingIfNeeded: milliseconds >> 16)
        bytes.4 = UInt8(truncatingIfNeeded: milliseconds >> 8)
        bytes.5 = UInt8(truncatingIfNeeded: milliseconds)
        bytes.6 = (bytes.6 & 0x0f) | 0x70
        bytes.8 = (bytes.8 & 0x3f) | 0x80
        return Self.text(of: bytes)
    }

    /// The system's clock, in milliseconds since the Unix epoch.
    package static func unixMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(max(0, now.tv_sec)) * 1000 + UInt64(max(0, now.tv_nsec)) / 1_000_000
    }

    /// The text form of sixteen bytes: lower-case hexadecimal digits, in groups of 8, 4, 4, 4 and 12.
    package static func text(of bytes: UUIDBytes) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            withUnsafeBytes(of: bytes) { raw in
                var out = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[out] = UInt8(ascii: "-")
                        out += 1
                    }
                    let byte = raw[index]
                    buffer[out] = digits.utf8Start[Int(byte >> 4)]
                    buffer[out + 1] = digits.utf8Start[Int(byte & 0x0f)]
                    out += 2
                }
            }
            return 36
        }
    }

    /// Sixteen bytes, laid out as Foundation's `uuid_t`.
    package typealias UUIDBytes = (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
    )

    private static let pool = Mutex(Pool())

    /// Random bytes fetched ahead, handed out sixteen at a time.
    struct Pool: ~Copyable {
        static let size = 4096
        private var storage = [UInt8](repeating: 0, count: Pool.size)
        private var next = Pool.size

        mutating func take() -> UUIDBytes {
            if self.next + 16 > Pool.size {
                self.storage.withUnsafeMutableBytes { Self.fill($0) }
                self.next = 0
            }
            var bytes: UUIDBytes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let start = self.next
            self.storage.withUnsafeBytes { source in
                withUnsafeMutableBytes(of: &bytes) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<start + 16]))
                }
            }
            self.next += 16
            return bytes
        }

        /// Fills `buffer` from the system's cryptographic generator (`arc4random_buf`: glibc's reads the kernel's
        /// `getrandom`, up to 4 KiB per call).
        private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
            guard let base = buffer.baseAddress else { return }
            arc4random_buf(base, buffer.count)
        }
    }
}
