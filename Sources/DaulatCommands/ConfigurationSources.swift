import Configuration
import SystemPackage

/// One reader for every daemon's settings: environment (`DAULAT_` prefix) over the YAML file.
enum ConfigurationSources {
    static func reader(file: String?) async throws -> ConfigReader {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider().prefixKeys(with: "daulat")]
        if let file {
            providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(file)))
        }
        return ConfigReader(providers: providers)
    }
}
