import Foundation

/// `[database] connection`: SQLite (`sqlite:///relative/path`, `sqlite:////absolute/path`, as SQLAlchemy writes
/// them) or PostgreSQL (`postgresql://user:password@host:port/database`, `+driver` suffixes accepted).
package enum DatabaseLocation: Sendable, Hashable {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL URL (holds a password: never logged).
    case postgres(url: String)

    /// Parses a connection URL.
    /// - Parameter url: The URL.
    /// - Throws: A message (the caller adds file, line and option) that never repeats the URL's password.
    package init(connection url: String) throws(ConfigurationError) {
        guard let colon = url.firstIndex(of: ":") else {
            throw Self.error("expected sqlite:///PATH or postgresql://USER:PASSWORD@HOST/DATABASE")
        }
        let scheme = url[..<colon].split(separator: "+").first.map(String.init)?.lowercased() ?? ""
        let rest = url[url.index(after: colon)...]
        switch scheme {
        case "sqlite":
            guard rest.hasPrefix("///"), rest.count > 3 else {
                throw Self.error("an SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
            }
            self = .sqlite(path: String(rest.dropFirst(3)))
        case "postgresql", "postgres":
            guard rest.hasPrefix("//"), rest.count > 2 else {
                throw Self.error("a PostgreSQL URL is postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
            }
            self = .postgres(url: "postgresql:" + rest)
        default:
            throw Self.error("unsupported database '\(scheme.prefix(40))' (use sqlite or postgresql)")
        }
    }

    private static func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: "", line: nil, option: "[database] connection", message: message)
    }

    /// The default SQLite file: `$XDG_DATA_HOME/bilean/bilean.sqlite`, else `~/.local/share/bilean/bilean.sqlite`,
    /// else `./bilean.sqlite`.
    package static func defaultSQLitePath(environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return data + "/bilean/bilean.sqlite"
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return home + "/.local/share/bilean/bilean.sqlite"
        }
        return "bilean.sqlite"
    }

    /// Where the database is, without secrets: the SQLite path, or the PostgreSQL host and database.
    package var redacted: String {
        switch self {
        case .sqlite(let path):
            return "sqlite:///" + path
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@") else { return "postgresql://…" }
            return "postgresql://…@" + url[url.index(after: at)...]
        }
    }
}
