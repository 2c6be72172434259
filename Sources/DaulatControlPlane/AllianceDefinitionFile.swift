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
        for agreement in definition.agreements
        where ![.draft, .inForce].contains(agreement.status) || !agreement.signatures.isEmpty || !agreement.acts.isEmpty
        {
            throw ConfigurationError(
                "\(url.lastPathComponent): agreement '\(agreement.id)': a definition gives terms and, for `daulat dev`, whether its states sign them (status draft or in_force); signatures and acts come from the states themselves"
            )
        }
        return definition
    }
}
