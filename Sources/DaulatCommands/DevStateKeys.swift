import DaulatCore
import DaulatFiles
import DaulatPKI
import Foundation

/// The keys `daulat dev` makes for the states and agencies of its alliance, as their regulators and
/// agencies would hold them — on one machine, for trying: an authority key per jurisdiction in
/// `DIR/authorities` (`ID.pem` private, `ID.pub` public), and for the example agency `bps` of Indonesia
/// a member key and the certificate Indonesia's authority gives it, in `DIR/members`; and the alliance
/// charter every authority signed, `DIR/charter.json`, which custodians pin and which pins each state's
/// witness key (`DIR/witnesses/CODE.pem`). Made once; what exists is kept.
enum DevStateKeys {
    /// The example agency: who `daulat dataset register --owner-agency bps` registers for.
    static let exampleMember = (id: "ASEAN/GOV/ID-BPS", agency: "bps", jurisdiction: "ID")
    static let instance = "ASEAN"

    /// The charter file, made (signed by every authority) if there is none.
    static func charterFile(in directory: URL) -> URL { directory.appendingPathComponent("charter.json") }

    static func ensure(in directory: URL, jurisdictions: [JurisdictionCode]) throws {
        let authorities = authorityDirectory(in: directory)
        let witnesses = witnessDirectory(in: directory)
        let members = directory.appendingPathComponent("members", isDirectory: true)
        for folder in [authorities, witnesses, members] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        var keys: [JurisdictionCode: StateSigningKey] = [:]
        var witnessKeys: [JurisdictionCode: StateSigningKey] = [:]
        for code in jurisdictions {
            keys[code] = try key(authorities.appendingPathComponent("\(code.rawValue).pem"))
            witnessKeys[code] = try key(witnesses.appendingPathComponent("\(code.rawValue).pem"))
        }
        try ensureCharter(charterFile(in: directory), keys: keys, witnesses: witnessKeys)
        let member = try key(members.appendingPathComponent("\(exampleMember.agency).pem"))
        let certificateFile = members.appendingPathComponent("\(exampleMember.agency).member")
        guard !FileManager.default.fileExists(atPath: certificateFile.path),
            let authority = keys[try JurisdictionCode(exampleMember.jurisdiction)]
        else { return }
        let now = CanonicalJSON.rounded(Date())
        let certificate = MemberCertificate(
            member: try MemberID(exampleMember.id), jurisdiction: try JurisdictionCode(exampleMember.jurisdiction),
            agency: exampleMember.agency, publicKey: member.publicKey, issuedAt: now,
            notAfter: now.addingTimeInterval(365 * 86_400))
        try DurableFile.write(
            Data((try certificate.signed(with: authority) + "\n").utf8), to: certificateFile, mode: 0o644)
    }

    /// Each jurisdiction's authority key, `CODE.pem`, as its regulator keeps it.
    static func authorityDirectory(in directory: URL) -> URL {
        directory.appendingPathComponent("authorities", isDirectory: true)
    }

    /// The authority keys of `jurisdictions`, made by ``ensure(in:jurisdictions:)``.
    static func authorityKeys(in directory: URL, jurisdictions: [JurisdictionCode]) throws
        -> [JurisdictionCode: StateSigningKey]
    {
        var keys: [JurisdictionCode: StateSigningKey] = [:]
        for code in jurisdictions {
            keys[code] = try StateKeyFiles.read(
                authorityDirectory(in: directory).appendingPathComponent("\(code.rawValue).pem").path)
        }
        return keys
    }

    /// Each jurisdiction's witness key, `CODE.pem`, as the state running the witness keeps it.
    static func witnessDirectory(in directory: URL) -> URL {
        directory.appendingPathComponent("witnesses", isDirectory: true)
    }

    private static func ensureCharter(
        _ file: URL, keys: [JurisdictionCode: StateSigningKey], witnesses: [JurisdictionCode: StateSigningKey]
    ) throws {
        guard !FileManager.default.fileExists(atPath: file.path) else { return }
        let charter = try SignedCharter(
            instance: instance, authorities: keys, witnesses: witnesses, issuedAt: CanonicalJSON.rounded(Date()))
        try CharterFile.write(charter, to: file.path)
    }

    /// The key in `file` (PEM, owner-only), made with its public half beside it (`.pub`) if there is none.
    private static func key(_ file: URL) throws -> StateSigningKey {
        if FileManager.default.fileExists(atPath: file.path) { return try StateKeyFiles.read(file.path) }
        let key = StateSigningKey.generate()
        try StateKeyFiles.write(key, to: file.path)
        try DurableFile.write(
            Data(key.publicKey.pemRepresentation.utf8),
            to: file.deletingPathExtension().appendingPathExtension("pub"), mode: 0o644)
        return key
    }
}
