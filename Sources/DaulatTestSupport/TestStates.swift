import DaulatCore
import DaulatPKI
import Foundation

/// The states of a test alliance as their authorities and agencies would hold them: an authority key
/// per jurisdiction, the charter all of them signed, and for any agency a member key with its state's
/// certificate — made in memory, fresh for each test, so a test can also act as a state or forge as
/// someone who is not one.
public struct TestStates: Sendable {
    public static let instance = "ASEAN"

    public let authorities: [JurisdictionCode: StateSigningKey]
    /// Each state's witness of the audit log, pinned by the charter.
    public let witnesses: [JurisdictionCode: StateSigningKey]
    public let charter: SignedCharter

    public init(_ jurisdictions: [String]) throws {
        var keys: [JurisdictionCode: StateSigningKey] = [:]
        var witnesses: [JurisdictionCode: StateSigningKey] = [:]
        for code in jurisdictions {
            keys[try JurisdictionCode(code)] = StateSigningKey.generate()
            witnesses[try JurisdictionCode(code)] = StateSigningKey.generate()
        }
        let charter = try SignedCharter(
            instance: Self.instance, authorities: keys, witnesses: witnesses, issuedAt: CanonicalJSON.rounded(Date()))
        self.authorities = keys
        self.witnesses = witnesses
        self.charter = charter
    }

    /// The name `jurisdiction`'s witness cosigns as.
    public func witnessName(_ jurisdiction: String) throws -> String {
        Checkpoint.witnessName(instance: Self.instance, jurisdiction: try JurisdictionCode(jurisdiction))
    }

    /// The jurisdictions of the example alliance.
    public static func example() throws -> TestStates {
        try TestStates(["ID", "SG", "MY", "EE", "FI", "LU"])
    }

    public var charterText: String {
        get throws { try charter.text }
    }

    public func authority(_ code: String) throws -> StateSigningKey {
        guard let key = authorities[try JurisdictionCode(code)] else {
            throw DomainError(.unknownJurisdiction, "no test authority for \(code)")
        }
        return key
    }

    /// A member of `agency` in `jurisdiction`, certified by that state's authority.
    public func member(_ agency: String, of jurisdiction: String) throws -> TestMember {
        let key = StateSigningKey.generate()
        let id = try MemberID("\(Self.instance)/GOV/\(jurisdiction)-\(agency.uppercased())")
        let now = CanonicalJSON.rounded(Date())
        let certificate = try MemberCertificate(
            member: id, jurisdiction: try JurisdictionCode(jurisdiction), agency: agency, publicKey: key.publicKey,
            issuedAt: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(86_400)
        ).signed(with: try authority(jurisdiction))
        return TestMember(id: id, key: key, certificate: certificate)
    }
}

/// An agency's member key and its state's certificate for it.
public struct TestMember: Sendable {
    public let id: MemberID
    public let key: StateSigningKey
    public let certificate: String

    /// The JSON body of an unwrap request: this member's consent to `request` for `requesterKey`.
    public func unwrapBody(_ request: UnwrapRequest, requesterKey: String, lifetime: TimeInterval = 300) throws
        -> String
    {
        let consent = UnwrapConsent.forTest(request, requesterKey: requesterKey, member: id, lifetime: lifetime)
        return try CanonicalJSON.encode([
            "consent": try consent.signed(with: key), "memberCertificate": certificate,
        ])
    }
}

extension UnwrapConsent {
    /// A consent issued now, good for `lifetime` seconds.
    public static func forTest(
        _ request: UnwrapRequest, requesterKey: String, member: MemberID?, lifetime: TimeInterval = 300
    ) -> UnwrapConsent {
        let now = CanonicalJSON.rounded(Date())
        return UnwrapConsent(
            id: Identifier.random(prefix: "uc-", length: 24), request: request, requesterKey: requesterKey,
            member: member, issuedAt: now, expiresAt: now.addingTimeInterval(lifetime))
    }
}

extension TestStates {
    /// The files a deployment's people would hold, written under `directory`: the signed charter
    /// (`charter.json`), each state's authority key (`authorities/CODE.pem`, owner-only), and for agency
    /// `bps` of Indonesia its member key and certificate (`bps.pem`, `bps.member`), for the CLI and
    /// custodians started as processes.
    public func writeFiles(to directory: URL) throws -> (
        charter: String, authorityKeys: [String: String], memberKey: String, memberCertificate: String,
        member: TestMember
    ) {
        let charter = directory.appendingPathComponent("charter.json")
        try Data((try charterText + "\n").utf8).write(to: charter)
        let folder = directory.appendingPathComponent("authorities", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var authorityKeys: [String: String] = [:]
        for (code, key) in authorities {
            authorityKeys[code.rawValue] = try writePrivate(
                key, to: folder.appendingPathComponent("\(code.rawValue).pem"))
        }
        let bps = try writeMember("bps", of: "ID", to: directory)
        return (charter.path, authorityKeys, bps.key, bps.certificate, bps.member)
    }

    private func writePrivate(_ key: StateSigningKey, to file: URL) throws -> String {
        guard
            FileManager.default.createFile(
                atPath: file.path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
        else { throw DomainError(.invalidName, "cannot write \(file.path)") }
        return file.path
    }

    /// A member of `agency` in `jurisdiction`, its key (`AGENCY.pem`, owner-only) and certificate
    /// (`AGENCY.member`) written under `directory`, as `DAULAT_MEMBER_KEY` and
    /// `DAULAT_MEMBER_CERTIFICATE` name them.
    public func writeMember(_ agency: String, of jurisdiction: String, to directory: URL) throws -> (
        key: String, certificate: String, member: TestMember
    ) {
        let key = directory.appendingPathComponent("\(agency).pem")
        let certificate = directory.appendingPathComponent("\(agency).member")
        let member = try member(agency, of: jurisdiction)
        _ = try writePrivate(member.key, to: key)
        try Data(member.certificate.utf8).write(to: certificate)
        return (key.path, certificate.path, member)
    }
}
