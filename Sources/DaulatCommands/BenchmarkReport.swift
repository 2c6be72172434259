import DaulatCore
import Foundation

/// One benchmark's result: Daulat's rate, the physical limit's rate measured in the same run, their
/// ratio and the target, printed as a table or as JSON for scripts.
struct BenchmarkReport: Encodable {
    let benchmark: String
    /// What was measured: sizes, client counts.
    let parameters: [String: Int]
    let daulatLabel: String
    let daulatPerSecond: Double
    let limitLabel: String
    let limitPerSecond: Double
    /// Nil where the issue sets no target: the ratio is reported to be watched.
    let target: Double?
    /// Other rates measured in the same run that explain the ratio: what a part of the work costs alone.
    var references: [(label: String, perSecond: Double)] = []

    var ratio: Double { daulatPerSecond / limitPerSecond }

    enum CodingKeys: String, CodingKey {
        case benchmark, parameters, daulatPerSecond, limitPerSecond, ratio, target, references
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(benchmark, forKey: .benchmark)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(daulatPerSecond.rounded(), forKey: .daulatPerSecond)
        try container.encode(limitPerSecond.rounded(), forKey: .limitPerSecond)
        try container.encode((ratio * 1000).rounded() / 1000, forKey: .ratio)
        try container.encodeIfPresent(target, forKey: .target)
        if !references.isEmpty {
            try container.encode(
                Dictionary(uniqueKeysWithValues: references.map { ($0.label, $0.perSecond.rounded()) }),
                forKey: .references)
        }
    }

    func print(_ format: OutputFormat) throws {
        switch format {
        case .json:
            Swift.print(try CanonicalJSON.encode(self))
        case .table:
            var table = Table("MEASURE", "PER SECOND")
            table.add(daulatLabel, String(format: "%.0f", daulatPerSecond))
            table.add(limitLabel, String(format: "%.0f", limitPerSecond))
            for reference in references { table.add(reference.label, String(format: "%.0f", reference.perSecond)) }
            table.add(target.map { "ratio (target >= \($0))" } ?? "ratio", String(format: "%.3f", ratio))
            Swift.print(table.render())
        }
    }
}

extension Duration {
    /// The duration in seconds, for rates.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
