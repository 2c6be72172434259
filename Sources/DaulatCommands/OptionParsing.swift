import ArgumentParser
import DaulatCore

/// Options that name things of the domain, parsed with the domain's own rules and refused, naming the
/// option, as any other bad option is.
enum OptionParsing {
    static func jurisdiction(_ text: String, option: String = "--jurisdiction") throws -> JurisdictionCode {
        do {
            return try JurisdictionCode(text.uppercased())
        } catch {
            throw ValidationError("\(option): \(error.message)")
        }
    }

    static func member(_ text: String, option: String = "--member") throws -> MemberID {
        do {
            return try MemberID(text)
        } catch {
            throw ValidationError("\(option): \(error.message)")
        }
    }
}
