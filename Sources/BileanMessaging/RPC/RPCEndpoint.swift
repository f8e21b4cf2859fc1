package import BileanCore

/// One namespace served by an ``OsloRPCServer``, as an oslo endpoint with a `Target(namespace:version:)`.
///
/// A request is served by an endpoint of its namespace whose version serves the requested one (``RPCVersion``:
/// the same major, a minor no newer); when no endpoint does, the answer is ``RPCRemoteError/Kind/unsupportedVersion``.
/// The namespace `""` is oslo's default namespace: it serves requests that name none.
package protocol RPCEndpoint: Sendable {
    /// The namespace (e.g. `accounts`).
    var namespace: String { get }
    /// The version implemented, `M.m` (e.g. `1.0`).
    var version: String { get }

    /// Handles one request.
    /// - Parameters:
    ///   - method: The method's name.
    ///   - args: Its arguments, by name.
    ///   - context: Who asked.
    /// - Returns: The result (`null` for none).
    /// - Throws: ``RPCRemoteError`` to answer with that error (``RPCRemoteError/Kind/noSuchMethod`` for a method the
    ///   endpoint does not have); any other error is answered as ``RPCRemoteError/internalError``, whose message
    ///   reveals nothing (the error goes to the server's log).
    func handle(method: String, args: [String: JSONValue], context: RPCContext) async throws -> JSONValue
}
