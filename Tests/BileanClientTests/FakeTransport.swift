import Synchronization

@testable import BileanClient

/// An ``HTTPTransport`` that records requests and answers from a script.
final class FakeTransport: HTTPTransport {
    /// What the fake answers: a response, or an error to throw.
    enum Reply: Sendable {
        case response(HTTPResponseData)
        case failure(BileanClientError)
    }

    private struct State {
        var requests: [HTTPRequestData] = []
        var replies: [Reply]
    }

    private let state: Mutex<State>

    /// Creates a fake answering `replies` in order (the last one again when they run out).
    init(_ replies: [Reply]) {
        self.state = Mutex(State(replies: replies))
    }

    /// Creates a fake answering every request with this status and body.
    convenience init(status: Int, body: String) {
        self.init([.response(HTTPResponseData(status: status, body: body))])
    }

    /// The requests sent so far.
    var requests: [HTTPRequestData] {
        self.state.withLock { $0.requests }
    }

    func send(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPResponseData {
        let reply = self.state.withLock { state -> Reply? in
            state.requests.append(request)
            guard let first = state.replies.first else { return nil }
            if state.replies.count > 1 { state.replies.removeFirst() }
            return first
        }
        switch reply {
        case .response(let response): return response
        case .failure(let error): throw error
        case .none: return HTTPResponseData(status: 500, body: "no reply scripted")
        }
    }
}
