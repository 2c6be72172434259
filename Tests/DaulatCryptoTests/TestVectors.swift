import Foundation

/// The committed vectors of docs/format.md, produced by an independent implementation of it.
enum TestVectors {
    struct Sealed: Decodable {
        let name: String
        let dataKey: String
        let chunkSize: Int
        let noncePrefix: String
        let keyID: String
        let objectID: String
        let plaintext: String
        let sealed: String
    }

    struct Shamir: Decodable {
        struct Share: Decodable {
            let index: UInt8
            let bytes: String
        }
        let secret: String
        let threshold: UInt8
        let shares: [Share]
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/\(name)")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static func sealed() throws -> [Sealed] {
        struct File: Decodable { let vectors: [Sealed] }
        return try load("sealed-object-v1.json", as: File.self).vectors
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
