import Foundation

/// The example alliance shipped with Daulat: what `daulat dev` starts with and what the tests run on.
public enum ExampleConfig {
    /// `alliance.yaml` of the example alliance.
    public static var allianceFile: URL {
        guard let url = Bundle.module.url(forResource: "alliance", withExtension: "yaml", subdirectory: "example") else {
            fatalError("the example configuration is missing from this installation (Config/example/alliance.yaml)")
        }
        return url
    }
}
