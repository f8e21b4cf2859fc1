/// What to do after a synchronous request on a channel: `channel.open`, `channel.close`, or any request method that
/// expects a reply (``ChannelStateMachine/request(_:promise:)``).
enum ChannelRequestAction<Promise> {
    /// Write `method` on `channel`.
    case sendMethod(channel: UInt16, AMQPMethod)
    /// Nothing now: the request waits behind the channel's outstanding synchronous request (or its `channel.open`)
    /// and is sent, as a `sendNext` of a later action, when that one is answered.
    case none
    /// Succeed the promise now (e.g. closing a channel that is closed already).
    case succeedPromise(Promise, ChannelResponse)
    /// Fail the promise now: the channel or the connection is not open.
    case failPromise(Promise, AMQPError)
}

/// What to do after an asynchronous method on a channel (`basic.ack`, `basic.reject`, a `nowait` declare…).
enum ChannelSendAction {
    /// Write the method.
    case write
    /// Do not write it; throw the error to the caller: the channel or the connection is not open.
    case fail(AMQPError)
}

/// What to do with a `basic.publish`.
enum PublishAction {
    /// Write the publish (method, header and body frames). `deliveryTag` is its tag when the channel is in confirm
    /// mode: the publish is confirmed by the `acked` or `nacked` action that names it.
    case write(deliveryTag: UInt64?)
    /// Do not write it; throw the error to the caller: the channel or the connection is not open.
    case fail(AMQPError)
}

extension ChannelRequestAction: Equatable where Promise: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.sendMethod(let lhsChannel, let lhsMethod), .sendMethod(let rhsChannel, let rhsMethod)):
            lhsChannel == rhsChannel && lhsMethod == rhsMethod
        case (.none, .none):
            true
        case (.succeedPromise(let lhsPromise, let lhsResponse), .succeedPromise(let rhsPromise, let rhsResponse)):
            lhsPromise == rhsPromise && lhsResponse == rhsResponse
        case (.failPromise(let lhsPromise, let lhsError), .failPromise(let rhsPromise, let rhsError)):
            lhsPromise == rhsPromise && lhsError.isSameFailure(as: rhsError)
        case (.sendMethod, _), (.none, _), (.succeedPromise, _), (.failPromise, _):
            false
        }
    }
}

extension ChannelSendAction: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.write, .write): true
        case (.fail(let lhsError), .fail(let rhsError)): lhsError.isSameFailure(as: rhsError)
        case (.write, _), (.fail, _): false
        }
    }
}

extension PublishAction: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.write(let lhsTag), .write(let rhsTag)): lhsTag == rhsTag
        case (.fail(let lhsError), .fail(let rhsError)): lhsError.isSameFailure(as: rhsError)
        case (.write, _), (.fail, _): false
        }
    }
}
