import BileanCore
import Foundation

/// A `clouds.yaml` file: found where openstackclient (openstacksdk) looks, and parsed into ``CloudConfig``s.
///
/// The file is `OS_CLIENT_CONFIG_FILE` when that is set (and then it must exist). Otherwise it is the first
/// file that exists among `clouds.yaml`, `clouds.yml` and `clouds.json`, in this order, in each of these
/// directories, in this order: the current directory; `$XDG_CONFIG_HOME/openstack` (when `XDG_CONFIG_HOME` is
/// set); `~/.config/openstack`; `<dir>/openstack` for each directory of `$XDG_CONFIG_DIRS` (default
/// `/etc/xdg`); `/etc/openstack`. A `.json` file is read as JSON, the others as YAML.
package struct CloudsFile: Sendable, Hashable {
    /// The file's path.
    package var path: String
    /// The clouds, by name.
    package var clouds: [String: CloudConfig]

    /// Creates a file's contents.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - clouds: The clouds, by name.
    package init(path: String, clouds: [String: CloudConfig]) {
        self.path = path
        self.clouds = clouds
    }

    /// The directories searched, in order, without duplicates.
    /// - Parameters:
    ///   - environment: The process environment (`HOME`, `XDG_CONFIG_HOME`, `XDG_CONFIG_DIRS`).
    ///   - currentDirectory: The current directory.
    /// - Returns: The directories.
    package static func searchDirectories(environment: [String: String], currentDirectory: String) -> [String] {
        let lookup = SettingLookup(environment)
        let home = lookup.fromEnvironment(["HOME"]) ?? NSHomeDirectory()
        var directories = [currentDirectory]
        if let configHome = lookup.fromEnvironment(["XDG_CONFIG_HOME"]), configHome.hasPrefix("/") {
            directories.append(Self.join(configHome, "openstack"))
        }
        directories.append(Self.join(home, ".config/openstack"))
        let configDirectories = (lookup.fromEnvironment(["XDG_CONFIG_DIRS"]) ?? "/etc/xdg")
            .split(separator: ":")
            .map(String.init)
            .filter { $0.hasPrefix("/") }
        for directory in configDirectories {
            directories.append(Self.join(directory, "openstack"))
        }
        directories.append("/etc/openstack")
        var seen: Set<String> = []
        return directories.filter { seen.insert($0).inserted }
    }

    /// The files searched when `OS_CLIENT_CONFIG_FILE` is not set, in order.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - currentDirectory: The current directory.
    /// - Returns: `clouds.yaml`, `clouds.yml` and `clouds.json` in each of ``searchDirectories(environment:currentDirectory:)``.
    package static func candidatePaths(environment: [String: String], currentDirectory: String) -> [String] {
        Self.searchDirectories(environment: environment, currentDirectory: currentDirectory).flatMap { directory in
            ["clouds.yaml", "clouds.yml", "clouds.json"].map { Self.join(directory, $0) }
        }
    }

    /// The path of the file to read.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - currentDirectory: The current directory.
    ///   - fileExists: Whether a regular file exists at a path (the file system by default).
    /// - Returns: `OS_CLIENT_CONFIG_FILE`, or the first candidate that exists.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) when `OS_CLIENT_CONFIG_FILE`
    ///   names a missing file, or when no candidate exists.
    package static func locate(
        environment: [String: String],
        currentDirectory: String,
        fileExists: (String) -> Bool = CloudsFile.regularFileExists
    ) throws(BileanClientError) -> String {
        if let override = SettingLookup(environment).fromEnvironment(["OS_CLIENT_CONFIG_FILE"]) {
            guard fileExists(override) else {
                throw BileanClientError(.invalidInput, "OS_CLIENT_CONFIG_FILE names \(override), which does not exist")
            }
            return override
        }
        let candidates = Self.candidatePaths(environment: environment, currentDirectory: currentDirectory)
        guard let found = candidates.first(where: fileExists) else {
            let directories = Self.searchDirectories(environment: environment, currentDirectory: currentDirectory)
            throw BileanClientError(
                .invalidInput,
                "no clouds.yaml found (looked in \(directories.joined(separator: ", ")); OS_CLIENT_CONFIG_FILE may name one)"
            )
        }
        return found
    }

    /// Reads and parses a file.
    /// - Parameter path: The file's path.
    /// - Returns: Its clouds.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) when the file cannot be read or
    ///   for the reasons of ``parse(_:path:)``.
    package static func load(path: String) throws(BileanClientError) -> CloudsFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BileanClientError(
                .invalidInput,
                "cannot read \(path): \(error.localizedDescription)",
                underlying: error
            )
        }
        return try Self.parse(text, path: path)
    }

    /// Parses a file's text: JSON when the path ends with `.json`, YAML otherwise.
    ///
    /// Only the clouds are read; other top-level keys (`cache`, `client`, …) are ignored, and a file without
    /// `clouds` has none.
    /// - Parameters:
    ///   - text: The text.
    ///   - path: The file's path, for messages and to choose JSON or YAML.
    /// - Returns: Its clouds.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) for text that is not YAML (or
    ///   JSON), a top level or `clouds` that is not a mapping, or a cloud ``CloudConfig`` refuses.
    package static func parse(_ text: String, path: String) throws(BileanClientError) -> CloudsFile {
        let source = "the file \(path)"
        let root: JSONValue
        if path.hasSuffix(".json") {
            do {
                root = try JSONReader.parse(text)
            } catch {
                throw BileanClientError(.invalidInput, "\(source) is not valid JSON: \(error.message)")
            }
        } else {
            root = try YAMLReader.parse(text, source: source)
        }
        guard root.objectValue != nil else {
            throw BileanClientError(.invalidInput, "\(source) must be a mapping, not \(root.typeName)")
        }
        var clouds: [String: CloudConfig] = [:]
        switch root["clouds"] {
        case .none, .null?:
            break
        case .object(let members)?:
            for (name, cloud) in members {
                clouds[name] = try CloudConfig(name: name, json: cloud, source: source)
            }
        case let other?:
            throw BileanClientError(.invalidInput, "\(source): clouds must be a mapping, not \(other.typeName)")
        }
        return CloudsFile(path: path, clouds: clouds)
    }

    /// A cloud by name.
    /// - Parameter name: The cloud's name.
    /// - Returns: The cloud.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) naming the file and the clouds
    ///   it has when there is no such cloud.
    package func cloud(named name: String) throws(BileanClientError) -> CloudConfig {
        guard let cloud = self.clouds[name] else {
            let known = self.clouds.keys.sorted()
            let list = known.isEmpty ? "it has none" : "it has \(known.joined(separator: ", "))"
            throw BileanClientError(.invalidInput, "cloud '\(name)' is not in \(self.path) (\(list))")
        }
        return cloud
    }

    /// Finds, reads and parses the file, and returns one of its clouds.
    /// - Parameters:
    ///   - name: The cloud's name.
    ///   - environment: The process environment.
    ///   - currentDirectory: The current directory.
    /// - Returns: The cloud.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) for the reasons of
    ///   ``locate(environment:currentDirectory:fileExists:)``, ``load(path:)`` and ``cloud(named:)``.
    package static func cloud(
        named name: String,
        environment: [String: String],
        currentDirectory: String
    ) throws(BileanClientError) -> CloudConfig {
        let path = try Self.locate(environment: environment, currentDirectory: currentDirectory)
        return try Self.load(path: path).cloud(named: name)
    }

    /// Whether a regular file (or a link to one) exists at a path.
    /// - Parameter path: The path.
    package static func regularFileExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
