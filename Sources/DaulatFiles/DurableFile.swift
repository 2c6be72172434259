import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Small files written whole or not at all: a temporary file with the final mode from its creation,
/// fsync, rename, and an fsync of the directory, so a crash leaves the old file or the new one, never
/// a part, and a secret is never readable by others, not even for a moment.
public enum DurableFile {
    public static func createDirectory(_ url: URL, mode: Int = 0o700) throws {
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw DurableFileError(action: "create", path: url.path, reason: error.localizedDescription)
        }
    }

    public static func write(_ data: Data, to url: URL, mode: mode_t = 0o600) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        unlink(temporary.path)
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("create", temporary) }
        let written = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        guard written, fsync(descriptor) == 0 else {
            let error = failure("write", temporary)
            close(descriptor)
            unlink(temporary.path)
            throw error
        }
        close(descriptor)
        guard rename(temporary.path, url.path) == 0 else {
            let error = failure("rename", url)
            unlink(temporary.path)
            throw error
        }
        try syncDirectory(of: url)
    }

    /// The file's bytes (nil if there is no file), refused if anyone but its owner may read or write
    /// it: a secret that others could have read is not one to use.
    public static func readPrivate(_ url: URL) throws -> Data? {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw failure("inspect", url)
        }
        guard status.st_mode & 0o077 == 0 else {
            throw DurableFileError(
                action: "use", path: url.path, reason: "it is readable by others than its owner; it must be 0600",
                tooOpen: true)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw DurableFileError(action: "read", path: url.path, reason: error.localizedDescription)
        }
    }

    /// Overwrites the file with zeros (as far as the file system keeps to it), then removes it.
    public static func destroy(_ url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", url) }
        var status = stat()
        fstat(descriptor, &status)
        let zeros = [UInt8](repeating: 0, count: Int(status.st_size))
        _ = zeros.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard unlink(url.path) == 0 else { throw failure("remove", url) }
        try syncDirectory(of: url)
    }

    public static func syncDirectory(of url: URL) throws {
        let descriptor = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open the directory of", url) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("sync the directory of", url) }
    }

    private static func failure(_ action: String, _ url: URL) -> DurableFileError {
        DurableFileError(action: action, path: url.path, reason: String(cString: strerror(errno)))
    }
}
