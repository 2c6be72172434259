import DaulatCore
import DaulatCrypto
import Foundation

/// Reading the proof files `daulat proof` checks (``InclusionProof``, ``ConsistencyProof``): JSON with
/// hashes in base64, as the API serves them and the transparency-dev test vectors write them (fields
/// they add, such as `desc`, are ignored).
enum ProofFile {
    static func read<File: Decodable>(_ type: File.Type, from path: String) throws -> File {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ClientError(message: "cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try CanonicalJSON.decoder().decode(File.self, from: data)
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
