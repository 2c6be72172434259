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

    /// `replacing`: false to refuse (`EEXIST`) rather than replace a file already there.
    public static func write(_ data: Data, to url: URL, mode: mode_t = 0o600, replacing: Bool = true) throws {
        let temporary = temporaryName(for: url)
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
        // link() fails if the name exists; rename() replaces it.
        let placed = replacing ? rename(temporary.path, url.path) : link(temporary.path, url.path)
        guard placed == 0 else {
            let error = failure(replacing ? "rename" : "create", url)
            unlink(temporary.path)
            throw error
        }
        if !replacing { unlink(temporary.path) }
        try syncDirectory(url.deletingLastPathComponent())
    }

    /// Writes `url` a piece at a time through `body`, durably and all at once: the pieces go to a
    /// temporary file of its own, which replaces `url` only after `body` returns and the bytes are on
    /// disk. If `body` throws, nothing appears at `url` and the temporary file is removed. A directory
    /// at `url` is never replaced.
    public static func write(to url: URL, mode: mode_t = 0o600, streaming body: (FileHandle) throws -> Void) throws {
        let temporary = temporaryName(for: url)
        let handle = try createExclusive(temporary, mode: mode)
        do {
            try body(handle)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let error = failure("rename", url)
            unlink(temporary.path)
            throw error
        }
        try syncDirectory(url.deletingLastPathComponent())
    }

    /// A new file for writing, created by this call only (never an existing file or link), `mode` from
    /// the start.
    public static func createExclusive(_ url: URL, mode: mode_t = 0o600) throws -> FileHandle {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("create", url) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// A name beside `url` of its own, so that two writers never rename each other's half-written file
    /// into place.
    private static func temporaryName(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UInt64.random(in: 0...UInt64.max)).tmp")
    }

    /// The file's bytes (nil if there is no file), refused unless it is a regular file of this user's
    /// that no one else may read or write: a secret others could have read, or swapped for a link, is
    /// not one to use. Checked on the opened file, so it cannot change between check and read.
    public static func readPrivate(_ url: URL) throws -> Data? {
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("open", url)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("inspect", url) }
        guard status.st_mode & S_IFMT == S_IFREG, status.st_uid == geteuid(), status.st_mode & 0o077 == 0 else {
            throw DurableFileError(
                action: "use", path: url.path,
                reason: "it must be a regular file of this user's that only its owner may read (0600)", tooOpen: true)
        }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw DurableFileError(action: "read", path: url.path, reason: error.localizedDescription)
        }
    }

    /// Overwrites the file with zeros, as far as the file system keeps to it (copy-on-write file systems
    /// and flash may keep earlier blocks), then removes it.
    public static func destroy(_ url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", url) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = failure("inspect", url)
            close(descriptor)
            throw error
        }
        let zeros = [UInt8](repeating: 0, count: Int(status.st_size))
        let written = zeros.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == zeros.count, fsync(descriptor) == 0 else {
            let error = failure("overwrite", url)
            close(descriptor)
            throw error
        }
        close(descriptor)
        guard unlink(url.path) == 0 else { throw failure("remove", url) }
        try syncDirectory(url.deletingLastPathComponent())
    }

    /// The names in `directory`; none if it does not exist, an error for anything else.
    public static func names(in directory: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch CocoaError.fileReadNoSuchFile {
            return []
        } catch {
            throw DurableFileError(action: "list", path: directory.path, reason: error.localizedDescription)
        }
    }

    /// Makes the creations, renames and removals in `directory` durable.
    public static func syncDirectory(_ directory: URL) throws {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", directory) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("sync", directory) }
    }

    private static func failure(_ action: String, _ url: URL) -> DurableFileError {
        let number = errno
        return DurableFileError(
            action: action, path: url.path, reason: String(cString: strerror(number)), systemError: number)
    }
}
