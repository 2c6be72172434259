import DaulatCore
import DaulatCrypto
import Foundation

/// The proof files `daulat proof` checks: JSON with hashes in base64, as the transparency-dev test
/// vectors write them (fields they add, such as `desc`, are ignored; a missing proof is `null`).
enum ProofFile {
    struct Inclusion: Decodable {
        let leafIdx: UInt64
        let treeSize: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
    }

    struct Consistency: Decodable {
        let size1: UInt64
        let size2: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
    }

    static func read<File: Decodable>(_ type: File.Type, from path: String) throws -> File {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ClientError(message: "cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw ClientError(message: "\(path) is not a proof file: \(DecodingErrorDescription.describe(error))")
        }
    }

    /// The bytes of a base64 hash; an empty string is no bytes (a hash of the wrong size, refused as such).
    static func bytes(_ text: String, _ what: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else { throw ClientError(message: "the \(what) is not base64") }
        return [UInt8](data)
    }
}
