import DaulatTestSupport
import Foundation
import Testing

/// `daulat proof verify-inclusion` and `verify-consistency` on every RFC 6962 test vector file, as a
/// regulator runs them: exit 0 when the proof holds, non-zero with a reason when it does not.
@Suite("daulat proof: the RFC 6962 test vectors through the command line")
struct ProofCommandTests {
    @Test("each vector file is judged as it says", arguments: ["inclusion", "consistency"])
    func vectors(kind: String) async throws {
        let files = try SharedTestData.jsonFiles(under: try SharedTestData.rfc6962(kind))
        #expect(files.count > 50)
        for file in files {
            let wantErr = try #require(
                (try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])?["wantErr"] as? Bool)
            let (status, output) = try await DaulatProcess.run(["proof", "verify-\(kind)", file.path])
            if wantErr {
                #expect(status != 0 && output.contains("does not hold"), "\(file.lastPathComponent): \(output)")
            } else {
                #expect(status == 0 && output.contains("the proof holds"), "\(file.lastPathComponent): \(output)")
            }
        }
    }

    @Test("a file that is not a proof is refused with the reason")
    func notAProof() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "not-a-proof-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"leafIdx":"zero","treeSize":1}"#.utf8).write(to: file)
        let (status, output) = try await DaulatProcess.run(["proof", "verify-inclusion", file.path])
        #expect(status != 0 && output.contains("is not a proof file"), "\(output)")
        try Data(#"{"leafIdx":0,"treeSize":1,"root":"%%%","leafHash":"","proof":null}"#.utf8).write(to: file)
        let (badStatus, badOutput) = try await DaulatProcess.run(["proof", "verify-inclusion", file.path])
        #expect(badStatus != 0 && badOutput.contains("not base64"), "\(badOutput)")
    }
}
