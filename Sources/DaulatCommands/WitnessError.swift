/// Why a report is not shown to be of the log the states' witnesses saw.
struct WitnessError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
