package import AsyncHTTPClient
package import BileanCore
import Foundation
import Logging
package import NIOCore
import NIOHTTP1

/// Keystone's projects, read with the service credentials: `GET /v3/projects` and `GET /v3/projects/{id}`.
package struct KeystoneProjects: ProjectDirectory {
    private let session: KeystoneSession
    private let httpClient: HTTPClient
    private let timeout: TimeAmount

    /// Creates the directory.
    /// - Parameters:
    ///   - session: The service's Keystone session.
    ///   - httpClient: The HTTP client (owned by the caller).
    ///   - timeout: The time each request may take.
    package init(session: KeystoneSession, httpClient: HTTPClient, timeout: TimeAmount = .seconds(60)) {
        self.session = session
        self.httpClient = httpClient
        self.timeout = timeout
    }

    package func projects() async throws(ProjectDirectoryError) -> [DirectoryProject] {
        let (status, body) = try await self.get("/projects")
        guard status == 200 else {
            throw ProjectDirectoryError(
                CloudActionError.answered(status, body: body, service: "Keystone", to: "the list of projects")
            )
        }
        let list: ProjectList
        do {
            list = try JSONDecoder().decode(ProjectList.self, from: Data(body.readableBytesView))
        } catch {
            throw ProjectDirectoryError("Keystone's list of projects is not a list of projects")
        }
        if list.truncated == true {
            throw ProjectDirectoryError(
                "Keystone truncated the list of projects ([DEFAULT] list_limit in keystone.conf): nothing is synced"
            )
        }
        return list.projects.filter { $0.isDomain != true }.map { DirectoryProject(id: $0.id, name: $0.name) }
    }

    package func projectExists(_ id: String) async throws(ProjectDirectoryError) -> Bool {
        let encoded = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
        let (status, body) = try await self.get("/projects/\(encoded)")
        switch status {
        case 200: return true
        case 404: return false
        default:
            throw ProjectDirectoryError(
                CloudActionError.answered(status, body: body, service: "Keystone", to: "the lookup of a project")
            )
        }
    }

    /// A GET of Keystone's v3 API with the service token; after a 401, once more with a new one.
    private func get(_ path: String) async throws(ProjectDirectoryError) -> (Int, ByteBuffer) {
        for attempt in 0..<2 {
            let token: KeystoneToken
            do {
                token = try await self.session.token()
            } catch {
                throw ProjectDirectoryError(error.message)
            }
            var request = HTTPClientRequest(url: self.session.credentials.identityURL + path)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "User-Agent", value: "bilean")
            request.headers.add(name: "X-Auth-Token", value: token.value)
            let status: Int
            let body: ByteBuffer
            do {
                let response = try await self.httpClient.execute(request, timeout: self.timeout)
                status = Int(response.status.code)
                body = try await response.body.collect(upTo: KeystoneSession.maximumBodyBytes * 16)
            } catch {
                throw ProjectDirectoryError(
                    CloudActionError.transport(error, service: "Keystone", timeout: self.timeout).message
                )
            }
            if status == 401 && attempt == 0 {
                await self.session.invalidate(token)
                continue
            }
            return (status, body)
        }
        throw ProjectDirectoryError("Keystone refused the service token twice (401)")
    }
}

private struct ProjectList: Decodable {
    struct Project: Decodable {
        var id: String
        var name: String?
        var isDomain: Bool?

        enum CodingKeys: String, CodingKey {
            case id
            case name
            case isDomain = "is_domain"
        }
    }

    var projects: [Project]
    var truncated: Bool?
}
