/// Why an RPC call or cast did not return a result.
package enum RPCCallError: Error, Sendable, Hashable {
    /// The server answered with an error (``RPCRemoteError``): the request was handled, and refused or failed.
    case remote(RPCRemoteError)
    /// No answer within the timeout (the associated value): the request may or may not have been handled (or be
    /// handled later: its AMQP expiration makes the broker drop it once the caller stopped waiting). A call whose
    /// task is cancelled ends the same way, with the time it waited.
    case timeout(Duration)
    /// The request reached no server: nobody ever declared the topic's queue (the broker returned the mandatory
    /// message), the broker could not be reached or refused it, or the client is closed. Nothing was handled.
    case unreachable(String)
}
