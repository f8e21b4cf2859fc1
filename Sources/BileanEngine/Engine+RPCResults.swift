package import BileanCore
import BileanStore

extension Engine: RPCResultStore {
    package func storedRPCResult(key: String) async throws -> StoredRPCResult? {
        try await self.transaction("read RPC result") { transaction in
            try await transaction.rpcResult(key: key)
        }
    }

    package func storeRPCResult(_ result: StoredRPCResult) async throws {
        try await self.transaction("store RPC result") { transaction in
            try await transaction.insertRPCResult(result)
        }
    }

    package func purgeRPCResults(before time: BillingTime) async throws -> Int {
        try await self.transaction("purge RPC results") { transaction in
            try await transaction.deleteRPCResults(before: time)
        }
    }

    package func currentTime() -> BillingTime { self.now() }
}
