import ArgumentParser

/// A length of time on the command line: `90d`, `12h`, `30m`, `45s` or plain seconds.
struct TokenLifetime: ExpressibleByArgument, Sendable {
    let seconds: Int

    init?(argument: String) {
        let units: [Character: Int] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        if let last = argument.last, let unit = units[last], let count = Int(argument.dropLast()), count >= 0 {
            let (product, overflow) = count.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            seconds = product
        } else if let count = Int(argument), count >= 0 {
            seconds = count
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
