/// Where and how to connect: parsed from `amqp://user:pass@host:port/vhost`, `amqps://…` (TLS), or the
/// oslo.messaging `transport_url` form `rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost` (several hosts,
/// tried in turn for failover).
public struct AMQPURL: Sendable, Hashable, CustomStringConvertible {
    /// One broker to try.
    public struct Host: Sendable, Hashable {
        /// The host name or address (IPv6 without brackets).
        public var host: String
        /// The port.
        public var port: Int
        /// The user name (PLAIN).
        public var username: String
        /// The password (PLAIN). Never printed.
        public var password: String

        /// Creates a host.
        public init(host: String, port: Int, username: String, password: String) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
        }
    }

    /// The brokers, in the order to try them.
    public var hosts: [Host]
    /// The virtual host (`/` when the URL has none).
    public var virtualHost: String
    /// Whether to use TLS (`amqps://`, or `?ssl=1` on a `rabbit://` URL).
    public var tls: Bool

    /// The default port without TLS.
    public static let defaultPort = 5672
    /// The default port with TLS.
    public static let defaultTLSPort = 5671

    /// Creates a URL from its parts.
    public init(hosts: [Host], virtualHost: String = "/", tls: Bool = false) {
        self.hosts = hosts
        self.virtualHost = virtualHost
        self.tls = tls
    }

    /// Parses a URL.
    /// - Parameter text: `amqp://…`, `amqps://…` or `rabbit://…`.
    /// - Throws: ``AMQPError`` (``AMQPError/Code/invalidURL``) naming what is wrong; never the password.
    public init(_ text: String) throws(AMQPError) {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else {
            throw Self.invalid("expected amqp://, amqps:// or rabbit://")
        }
        let scheme = text[..<colon].lowercased()
        var tls: Bool
        switch scheme {
        case "amqp", "rabbit": tls = false
        case "amqps": tls = true
        default: throw Self.invalid("unsupported scheme '\(scheme.prefix(20))' (use amqp, amqps or rabbit)")
        }
        var rest = text[colon...].dropFirst(3)
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = parts[0].lowercased()
                let value = parts.count > 1 ? parts[1].lowercased() : ""
                if name == "ssl" || name == "tls" {
                    switch value {
                    case "1", "true", "yes", "on": tls = true
                    case "0", "false", "no", "off": break
                    default: throw Self.invalid("\(name) must be true or false")
                    }
                }
            }
            rest = rest[..<question]
        }
        let authority: Substring
        var virtualHost = "/"
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let decoded = Self.percentDecoded(path) else {
                    throw Self.invalid("the virtual host has a malformed %-escape")
                }
                virtualHost = decoded
            }
        } else {
            authority = rest
        }
        let defaultPort = tls ? Self.defaultTLSPort : Self.defaultPort
        var hosts: [Host] = []
        for part in authority.split(separator: ",", omittingEmptySubsequences: false) {
            hosts.append(try Self.host(part, defaultPort: defaultPort))
        }
        guard !hosts.isEmpty else { throw Self.invalid("no host") }
        self.init(hosts: hosts, virtualHost: virtualHost, tls: tls)
    }

    private static func host(_ text: Substring, defaultPort: Int) throws(AMQPError) -> Host {
        var username = "guest"
        var password = "guest"
        var address = text
        if let at = text.lastIndex(of: "@") {
            let credentials = text[..<at]
            address = text[text.index(after: at)...]
            let parts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = Self.percentDecoded(parts[0]),
                let pass = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
            else {
                throw Self.invalid("the credentials have a malformed %-escape")
            }
            username = user
            password = pass
        }
        var host: Substring
        var portText: Substring?
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { throw Self.invalid("unclosed [ in an IPv6 address") }
            host = address[address.index(after: address.startIndex)..<close]
            let after = address[address.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw Self.invalid("unexpected text after an IPv6 address")
            }
        } else if let colon = address.lastIndex(of: ":") {
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
        } else {
            host = address
        }
        guard !host.isEmpty else { throw Self.invalid("a host is empty") }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw Self.invalid("a port must be a number from 1 to 65535")
            }
            port = value
        }
        return Host(host: String(host), port: port, username: username, password: password)
    }

    private static func invalid(_ message: String) -> AMQPError {
        AMQPError(code: .invalidURL, message: "invalid AMQP URL: \(message)")
    }

    /// `%XX` escapes decoded as UTF-8; `nil` for a malformed escape or invalid UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The URL without passwords, e.g. `amqp://guest:…@127.0.0.1:5672,…/` (for logs).
    public var description: String {
        let hosts = self.hosts.map { host in
            let address = host.host.contains(":") ? "[\(host.host)]" : host.host
            return "\(host.username):…@\(address):\(host.port)"
        }
        let vhost = self.virtualHost == "/" ? "" : self.virtualHost
        return "\(self.tls ? "amqps" : "amqp")://\(hosts.joined(separator: ","))/\(vhost)"
    }
}
