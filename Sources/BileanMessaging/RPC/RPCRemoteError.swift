package import BileanCore

/// An error a server answers a request with, typed: carried on the wire as oslo's `failure` JSON, with `class` the
/// kind's name (`NotFound`, …) and `module` ``module`` (`bilean.common.exception`).
///
/// A Python oslo.messaging client sees it as that class when it allows the module (`allowed_remote_exmods`), and as
/// `oslo_messaging.RemoteError` with `exc_type` the class name otherwise.
package struct RPCRemoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error, named as the Python exception class.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The thing asked for does not exist.
        case notFound = "NotFound"
        /// An argument is not valid (``RPCRemoteError/field`` names it when known).
        case invalidInput = "InvalidInput"
        /// The request conflicts with the current state (a duplicate, a concurrent change).
        case conflict = "Conflict"
        /// The server failed; the message says nothing of why (that is in the server's log).
        case internalError = "InternalError"
        /// No endpoint of the namespace serves the requested version (or the namespace is not served at all).
        case unsupportedVersion = "UnsupportedVersion"
        /// The namespace and version are served, but not this method.
        case noSuchMethod = "NoSuchMethod"
    }

    /// The Python module of Bilean's exception classes.
    package static let module = "bilean.common.exception"

    /// What kind of error.
    package var kind: Kind
    /// A message for the caller (safe to show: it never holds internals).
    package var message: String
    /// For ``Kind/invalidInput``: the argument at fault, when known.
    package var field: String?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: What kind of error.
    ///   - message: A message for the caller.
    ///   - field: For `invalidInput`, the argument at fault.
    package init(kind: Kind, message: String, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
    }

    /// `NotFound: message`.
    package var description: String {
        if let field = self.field { return "\(self.kind.rawValue): \(self.message) (field \(field))" }
        return "\(self.kind.rawValue): \(self.message)"
    }

    /// The error a server answers for any failure that is not an `RPCRemoteError`: it says nothing of the cause.
    package static let internalError = RPCRemoteError(
        kind: .internalError,
        message: "The server failed to handle the request."
    )
}

extension RPCRemoteError {
    /// The `failure` object of an oslo reply, as `oslo_messaging._drivers.common.serialize_remote_exception` writes
    /// it: `class`, `module`, `message`, `tb` (always empty: no traceback leaves Bilean), `args` (the message) and
    /// `kwargs` (`field` for invalid input).
    package var failureObject: JSONValue {
        .object([
            "class": .string(self.kind.rawValue),
            "module": .string(Self.module),
            "message": .string(self.message),
            "tb": .array([]),
            "args": .array([.string(self.message)]),
            "kwargs": .object(self.field.map { ["field": .string($0)] } ?? [:]),
        ])
    }

    /// The failure as oslo carries it in a reply: its JSON text.
    /// - Throws: Never in practice (the object holds strings only); an encoding error otherwise.
    package func failureText() throws -> String {
        try self.failureObject.jsonText()
    }

    /// Reads the `failure` of a reply from any oslo server: the class name gives the kind whatever the module
    /// (oslo's own `UnsupportedVersion` and `NoSuchMethod` map to those kinds); any other class becomes
    /// ``Kind/internalError`` with the class and its message.
    /// - Parameter failure: The `failure` member: JSON text (what oslo sends), or an object.
    package init(failure: JSONValue) {
        var object: [String: JSONValue]?
        switch failure {
        case .string(let text):
            object =
                (try? ExactJSONReader.parse(Array(text.utf8), maximumDepth: OsloEnvelope.defaultMaximumDepth))?
                .objectValue
        case .object(let members):
            object = members
        case .null, .bool, .number, .array:
            object = nil
        }
        guard let object else {
            self.init(kind: .internalError, message: "The server answered with a failure that cannot be read.")
            return
        }
        let className = object["class"]?.stringValue ?? "Exception"
        let message = object["message"]?.stringValue ?? ""
        if let kind = Kind(rawValue: className) {
            self.init(kind: kind, message: message, field: object["kwargs"]?["field"]?.stringValue)
        } else {
            let module = object["module"]?.stringValue.map { $0 + "." } ?? ""
            self.init(kind: .internalError, message: "\(module)\(className): \(message)")
        }
    }
}
