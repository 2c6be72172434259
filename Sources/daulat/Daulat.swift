import ArgumentParser
import DaulatCommands

/// The executable's entry point; the commands live in DaulatCommands so they can be tested.
@main
struct Daulat: AsyncParsableCommand {
    static let configuration = DaulatCommand.configuration
}
