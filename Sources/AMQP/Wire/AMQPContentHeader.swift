public import NIOCore

/// The payload of a content header frame: the class of the content, the size of the body that follows in body frames,
/// and the content properties.
///
/// On the wire: class id (short), weight (short, always 0), body size (longlong), property flags and properties.
/// Only the `basic` class (60) carries content; a header of another class is rejected with
/// ``AMQPError/Code/unknownClass``. The weight is written as 0 and ignored when read.
public struct AMQPContentHeader: Sendable, Hashable {
    /// The class id of the content: 60 (`basic`).
    public var classID: UInt16
    /// The total size of the body, in bytes, over all body frames that follow.
    public var bodySize: UInt64
    /// The content properties.
    public var properties: AMQPProperties

    /// The class id of the `basic` class, the only class with content.
    public static let basicClassID: UInt16 = 60

    /// Creates a content header.
    ///
    /// - Parameters:
    ///   - classID: The class id of the content; defaults to `basic` (60).
    ///   - bodySize: The total size of the body.
    ///   - properties: The content properties.
    public init(classID: UInt16 = Self.basicClassID, bodySize: UInt64, properties: AMQPProperties = AMQPProperties()) {
        self.classID = classID
        self.bodySize = bodySize
        self.properties = properties
    }

    /// Reads a content header frame payload.
    ///
    /// - Parameter buffer: The frame payload.
    /// - Throws: ``AMQPError``: `unknownClass` for a class other than `basic`, `truncated`, property errors.
    public init(decoding buffer: inout ByteBuffer) throws(AMQPError) {
        let classOffset = buffer.readerIndex
        let classID = try buffer.readAMQPShort()
        guard classID == Self.basicClassID else {
            var error = AMQPError(
                code: .unknownClass,
                message: "content header of a class without content",
                offset: classOffset
            )
            error.classID = classID
            throw error
        }
        _ = try buffer.readAMQPShort()  // weight: must be 0, not used
        let bodySize = try buffer.readAMQPLongLong()
        do {
            let properties = try AMQPProperties(decoding: &buffer)
            self.init(classID: classID, bodySize: bodySize, properties: properties)
        } catch {
            throw error.withMethod(classID: classID, methodID: nil)
        }
    }

    /// Writes the content header frame payload.
    ///
    /// - Parameter buffer: The buffer to write to.
    /// - Throws: ``AMQPError``: `unknownClass` for a class other than `basic`; `stringTooLong` and table errors from
    ///   the properties.
    public func encode(into buffer: inout ByteBuffer) throws(AMQPError) {
        guard self.classID == Self.basicClassID else {
            var error = AMQPError(code: .unknownClass, message: "content header of a class without content")
            error.classID = self.classID
            throw error
        }
        buffer.writeAMQPShort(self.classID)
        buffer.writeAMQPShort(0)
        buffer.writeAMQPLongLong(self.bodySize)
        try self.properties.encode(into: &buffer)
    }
}
