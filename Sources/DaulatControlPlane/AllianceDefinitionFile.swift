import DaulatCore
import Foundation
import Yams

/// Reads an alliance definition (see `Config/example/alliance.yaml`) from YAML.
public enum AllianceDefinitionFile {
    public static func load(_ url: URL) throws -> AllianceDefinition {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read \(url.path): \(error.localizedDescription)")
        }
        let definition: AllianceDefinition
        do {
            definition = try YAMLDecoder().decode(AllianceDefinition.self, from: text)
        } catch let error as DecodingError {
            throw ConfigurationError("\(url.lastPathComponent): \(DecodingErrorDescription.describe(error))")
        } catch {
            throw ConfigurationError("\(url.lastPathComponent) is not valid YAML: \(error)")
        }
        do {
            try definition.validate()
        } catch {
            throw ConfigurationError("\(url.lastPathComponent): \(error.message)")
        }
        return definition
    }
}
