import Foundation

/// The custody invariant as one decision: a data key is unwrapped only for a requester in a
/// jurisdiction where the dataset may be processed now, with a stated justification, and never for
/// a quarantined object. A data embassy holds ciphertext abroad while keys stay home: processing
/// there is refused unless an operator has declared a disaster-recovery activation for the dataset,
/// and then only for disaster recovery.
public enum CustodyRule {
    /// Nil when the unwrap may go ahead; otherwise why not.
    /// - Parameters:
    ///   - policy: the dataset's policy evaluated at the moment of the request.
    ///   - quarantined: whether the object has a quarantined copy (no allowed place left for it).
    ///   - disasterRecoveryDeclared: whether an operator's disaster-recovery activation for the
    ///     dataset is in force.
    public static func refusal(
        of request: UnwrapRequest, policy: EvaluatedPolicy, quarantined: Bool, disasterRecoveryDeclared: Bool
    ) -> DomainError? {
        guard policy.datasetID == request.datasetID else {
            return DomainError(
                .processingNotAllowed,
                "the policy evaluated is of dataset \(policy.datasetID), not \(request.datasetID)")
        }
        if quarantined {
            return DomainError(
                .objectQuarantined,
                "object \(request.objectID) is quarantined: no reads and no unwraps until it has an allowed place")
        }
        if request.justification.needsReference,
            (request.reference ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            return DomainError(
                .referenceRequired,
                "a \(request.justification.rawValue) must name the order or request it rests on (reference)")
        }
        let jurisdiction = request.jurisdiction
        let processing = policy.processing.first { $0.jurisdiction == jurisdiction }
        if processing?.allowed == true { return nil }
        // A data embassy of the dataset's home: ciphertext may be there, plaintext only in declared recovery.
        let embassy = policy.storage.first { $0.jurisdiction == jurisdiction && $0.allowed && $0.embassyOnly } != nil
        if embassy {
            guard disasterRecoveryDeclared else {
                return DomainError(
                    .disasterRecoveryNotDeclared,
                    "\(jurisdiction.rawValue) holds \(request.datasetID) as a data embassy only: keys are opened there only after an operator declares a disaster-recovery activation"
                )
            }
            guard request.justification == .disasterRecovery else {
                return DomainError(
                    .processingNotAllowed,
                    "at the data embassy in \(jurisdiction.rawValue) keys are opened for disaster recovery only, not for \(request.justification.rawValue)"
                )
            }
            return nil
        }
        let why = processing.map { ": \($0.reason.detail)" } ?? ": it is not a member jurisdiction"
        return DomainError(
            .processingNotAllowed,
            "\(request.datasetID) may not be processed in \(jurisdiction.rawValue) now\(why)")
    }
}
