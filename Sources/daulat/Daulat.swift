import ArgumentParser
import DaulatCommands
import Foundation

/// The executable's entry point; the commands live in DaulatCommands so they can be tested.
@main
struct Daulat: AsyncParsableCommand {
    static let configuration = DaulatCommand.configuration

    /// Logging is set up before any command makes a logger; then the command runs as usual.
    static func main() async {
        do {
            try LogSettings.bootstrap()
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
