import Foundation

/// Checks the short identifiers that name sites, hosts, classifications, groups and datasets:
/// lower-case letters, digits and hyphens, starting with a letter, at most 63 characters — safe in URLs,
/// file names and certificate names alike.
public enum Identifier {
    public static func validate(_ value: String, what: String) throws(DomainError) {
        let scalars = Array(value.unicodeScalars)
        let allowed = scalars.allSatisfy { s in
            (s.value >= 97 && s.value <= 122) || (s.value >= 48 && s.value <= 57) || s == "-"
        }
        guard (1...63).contains(scalars.count), allowed, let first = scalars.first, first.value >= 97,
            first.value <= 122, scalars.last != "-"
        else {
            throw DomainError(
                .invalidName,
                "\(what) '\(value)' must be 1-63 characters of a-z, 0-9 and '-', starting with a letter"
            )
        }
    }

    /// A fresh random identifier: `prefix`, then `length` lowercase hex digits (at most 32).
    public static func random(prefix: String, length: Int) -> String {
        prefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(length)
    }
}
