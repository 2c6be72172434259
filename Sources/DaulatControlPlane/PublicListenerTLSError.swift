/// The public API's TLS cannot be set up as configured.
public struct PublicListenerTLSError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
