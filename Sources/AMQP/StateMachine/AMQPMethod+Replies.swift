extension AMQPMethod {
    /// The method ids of the replies to this method when a client sends it, e.g. `71...72` (`basic.get-ok`,
    /// `basic.get-empty`) for `basic.get`; `nil` for a method without a reply.
    ///
    /// The reply is of the same class. `connection.*` methods are left out: they are the handshake's, not a
    /// channel's.
    var replyMethodIDs: ClosedRange<UInt16>? {
        switch self {
        case .connection:
            return nil
        case .channel(let method):
            switch method {
            case .open: return 11...11
            case .flow: return 21...21
            case .close: return 41...41
            case .openOk, .flowOk, .closeOk: return nil
            }
        case .access(let method):
            switch method {
            case .request: return 11...11
            case .requestOk: return nil
            }
        case .exchange(let method):
            switch method {
            case .declare: return 11...11
            case .delete: return 21...21
            case .bind: return 31...31
            case .unbind: return 51...51
            case .declareOk, .deleteOk, .bindOk, .unbindOk: return nil
            }
        case .queue(let method):
            switch method {
            case .declare: return 11...11
            case .bind: return 21...21
            case .purge: return 31...31
            case .delete: return 41...41
            case .unbind: return 51...51
            case .declareOk, .bindOk, .purgeOk, .deleteOk, .unbindOk: return nil
            }
        case .basic(let method):
            switch method {
            case .qos: return 11...11
            case .consume: return 21...21
            case .cancel: return 31...31
            case .get: return 71...72
            case .recover: return 111...111
            case .qosOk, .consumeOk, .cancelOk, .publish, .return, .deliver, .getOk, .getEmpty, .ack, .reject,
                .recoverAsync, .recoverOk, .nack:
                return nil
            }
        case .tx(let method):
            switch method {
            case .select: return 11...11
            case .commit: return 21...21
            case .rollback: return 31...31
            case .selectOk, .commitOk, .rollbackOk: return nil
            }
        case .confirm(let method):
            switch method {
            case .select: return 11...11
            case .selectOk: return nil
            }
        }
    }

    /// Whether the broker answers this method when a client sends it: a synchronous method without `nowait` set.
    var expectsReply: Bool {
        guard self.replyMethodIDs != nil else { return false }
        switch self {
        case .exchange(.declare(let method)): return !method.noWait
        case .exchange(.delete(let method)): return !method.noWait
        case .exchange(.bind(let method)): return !method.noWait
        case .exchange(.unbind(let method)): return !method.noWait
        case .queue(.declare(let method)): return !method.noWait
        case .queue(.bind(let method)): return !method.noWait
        case .queue(.purge(let method)): return !method.noWait
        case .queue(.delete(let method)): return !method.noWait
        case .basic(.consume(let method)): return !method.noWait
        case .basic(.cancel(let method)): return !method.noWait
        case .confirm(.select(let method)): return !method.noWait
        case .connection, .channel, .access, .exchange, .queue, .basic, .tx, .confirm: return true
        }
    }

    /// Whether `reply`, received from the broker, answers this method sent by the client.
    ///
    /// - Parameter reply: The method received.
    /// - Returns: `true` when `reply` is of this method's class and one of its ``replyMethodIDs``.
    func isAnswered(by reply: AMQPMethod) -> Bool {
        guard reply.classID == self.classID, let ids = self.replyMethodIDs else { return false }
        return ids.contains(reply.methodID)
    }
}
