import ArgumentParser
import Configuration
import Foundation
import SystemPackage
import Yams

/// One reader for every daemon's settings: environment (`DAULAT_` prefix) over the YAML file.
enum ConfigurationSources {
    /// The reader, once the file is seen to hold only `keys`, each with a value of its type: a
    /// misspelt or misplaced key would otherwise be ignored without a word, and the daemon started
    /// with a setting other than the one written.
    static func reader(file: String?, keys: [ConfigurationKey]) async throws -> ConfigReader {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider().prefixKeys(with: "daulat")]
        if let file {
            try check(file, keys: keys)
            providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(file)))
        }
        return ConfigReader(providers: providers)
    }

    /// Refuses the file unless it is a mapping of known keys to values of their types, naming the
    /// first key that is not.
    static func check(_ file: String, keys: [ConfigurationKey]) throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the configuration file \(file): \(error.localizedDescription)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ValidationError("\(file) is not YAML: \(error)")
        }
        guard let node else { return }
        guard node.mapping != nil else {
            throw ValidationError("\(file) must be a mapping of settings, e.g. `server:` then `  url: …`")
        }
        let known = Dictionary(uniqueKeysWithValues: keys.map { ($0.name, $0) })
        let names = keys.map(\.name).joined(separator: ", ")
        for (name, value) in leaves(of: node, path: "") {
            guard let key = known[name] else {
                throw ValidationError("unknown key '\(name)' in \(file); the keys it may hold: \(names)")
            }
            guard let scalar = value.scalar else {
                throw ValidationError("'\(name)' in \(file) must be a single value, not a list or a mapping")
            }
            if key.isInteger && Int(scalar.string) == nil {
                throw ValidationError("'\(name)' in \(file) must be a whole number, not '\(scalar.string)'")
            }
        }
    }

    /// Every value under `node` with its dotted key, mappings walked into.
    private static func leaves(of node: Node, path: String) -> [(String, Node)] {
        guard let mapping = node.mapping else { return [(path, node)] }
        return mapping.flatMap { key, value -> [(String, Node)] in
            let name = path.isEmpty ? key.string ?? "" : "\(path).\(key.string ?? "")"
            return leaves(of: value, path: name)
        }
    }
}
