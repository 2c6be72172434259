/// Which part of a jurisdiction's residency report a copy belongs to: stored in the jurisdiction, or
/// one of its own datasets' copies held abroad.
enum CopyDirection: String, Sendable {
    case storedHere = "stored-here"
    case heldAbroad = "held-abroad"
}
