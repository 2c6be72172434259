import DaulatCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// PostgreSQL through a postgres-nio connection pool. The pool is a `Service`: it must be running
/// (in the application's `ServiceGroup`, or a task of a test) before any query.
public struct PostgresBackend: SQLBackend, Service {
    /// Chosen once; every `daulat migrate` takes this transaction-level advisory lock, so concurrent
    /// runs queue behind each other instead of applying a migration twice.
    static let migrationLockKey: Int64 = 0x6461_756c_6174_0001

    public let client: PostgresClient
    let logger: Logger

    public var dialect: SQLDialect { .postgresql }

    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// `postgres://user:password@host:port/database` (the form libpq and `DAULAT_DATABASE_URL` use).
    /// `sslmode=require` in the query asks for TLS; anything else connects in the clear, which is only
    /// sensible on loopback or a private network.
    public init(url: String, logger: Logger) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme),
            let host = components.host, !host.isEmpty
        else {
            throw DatabaseURLError(message: "expected postgres://user:password@host:port/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: database.isEmpty ? nil : database,
            tls: sslMode == "require" ? .require(.makeClientConfiguration()) : .disable
        )
        configuration.options.connectTimeout = .seconds(5)
        self.init(configuration: configuration, logger: logger)
    }

    /// Runs the pool until the service group shuts down gracefully (or the task is cancelled).
    public func run() async throws {
        await cancelWhenGracefulShutdown { await client.run() }
    }

    /// How long a transaction waits for a connection before reporting the database unavailable. The
    /// pool keeps retrying a server that is down; callers get a prompt answer instead of waiting with it.
    static let connectionWait: Duration = .seconds(5)

    public func transaction<Result: Sendable>(_ body: @Sendable (PostgresExecutor) async throws -> Result) async throws
        -> Result
    {
        let logger = self.logger
        return try await withoutActuallyEscaping(body) { body in
            try await withConnection { connection in
                try await connection.withTransaction(logger: logger) { connection in
                    try await body(PostgresExecutor(connection: connection, logger: logger))
                }
            }
        }
    }

    public func transientTransaction<Result: Sendable>(
        _ body: @Sendable (PostgresExecutor) async throws -> Result
    ) async throws -> Result {
        try await transaction { executor in
            try await executor.query("SET LOCAL synchronous_commit = off")
            return try await body(executor)
        }
    }

    public func execute(_ statement: SQLStatement) async throws -> [SQLRow] {
        let logger = self.logger
        return try await withConnection { connection in
            try await PostgresExecutor(connection: connection, logger: logger).query(statement)
        }
    }

    public func forEachBatch(of statement: SQLStatement, size: Int, _ body: ([SQLRow]) async throws -> Void)
        async throws
    {
        let logger = self.logger
        try await withoutActuallyEscaping(body) { body in
            // Called only by the task that leases the connection, while this one waits for it to finish.
            nonisolated(unsafe) let body = body
            try await withConnection { connection in
                try await PostgresExecutor(connection: connection, logger: logger).forEachBatch(
                    of: statement, size: size
                ) { try await body($0) }
            }
        }
    }

    /// Leases a connection for `body`. Only the wait for a connection is bounded: once `body` has begun
    /// it runs to its end, so a change is never reported as failed after it was committed.
    private func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    )
        async throws -> Result
    {
        let client = self.client
        let connected = ConnectedFlag()
        do {
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        // Run only if the watchdog has not already reported the database unavailable.
                        guard connected.claim() else { throw CancellationError() }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: Self.connectionWait)
                    guard connected.expire() else { return nil }
                    throw StoreError.unavailable("no connection to PostgreSQL within \(Self.connectionWait)")
                }
                while let next = try await group.next() {
                    if let result = next {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
        } catch {
            throw translate(error)
        }
    }

    public func migrationTransaction<Result: Sendable>(_ body: @Sendable (PostgresExecutor) async throws -> Result)
        async throws
        -> Result
    {
        try await transaction { executor in
            try await executor.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))")
            return try await body(executor)
        }
    }

    /// How often a held lock's connection is checked, and a free lock tried again.
    static let lockCheckInterval: Duration = .seconds(1)

    public func whileHoldingSessionLock(_ key: Int64, _ body: @escaping @Sendable () async throws -> Void) async throws
    {
        let logger = self.logger
        do {
            try await client.withConnection { connection in
                let executor = PostgresExecutor(connection: connection, logger: logger)
                while try await executor.query("SELECT pg_try_advisory_lock(\(key)) AS held").first?.integer("held")
                    != 1
                {
                    try await Task.sleep(for: Self.lockCheckInterval)
                }
                // The lock lives as long as this connection: watch it, and stop `body` the moment it breaks.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await body() }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: Self.lockCheckInterval)
                            try await Self.checkAlive(connection, executor)
                        }
                    }
                    defer { group.cancelAll() }
                    try await group.next()
                }
                _ = try? await executor.query("SELECT pg_advisory_unlock(\(key)) AS released")
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw StoreError.unavailable("the connection holding the lock failed: \(translate(error))")
        }
    }

    /// How long the connection holding a lock has to answer a check before it is taken for dead.
    static let lockCheckTimeout: Duration = .seconds(5)

    /// Throws unless the connection answers within ``lockCheckTimeout``. A connection that died without
    /// closing (a cut cable, a dropped route, a proxy gone) may never answer, and a query waiting on it
    /// outlives both cancellation and the connection's close: it is left to itself (it holds nothing),
    /// the connection is closed, and the check fails, so that neither leadership nor shutdown waits on it.
    private static func checkAlive(_ connection: PostgresConnection, _ executor: PostgresExecutor) async throws {
        let outcome = Outcome()
        let query = Task {
            do {
                try await executor.query("SELECT 1 AS alive")
                outcome.settle(true)
            } catch {
                outcome.settle(false)
            }
        }
        let timer = Task {
            try? await Task.sleep(for: lockCheckTimeout)
            outcome.settle(false)
        }
        let answered = await withTaskCancellationHandler {
            await outcome.value
        } onCancel: {
            outcome.settle(false)
        }
        timer.cancel()
        _ = query
        guard answered else {
            Task { try? await connection.close() }
            throw StoreError.unavailable("the connection holding the lock stopped answering")
        }
    }

    /// The first of several answers, awaited once.
    private final class Outcome: Sendable {
        private let state = Mutex<(answer: Bool?, waiter: CheckedContinuation<Bool, Never>?)>((nil, nil))

        func settle(_ answer: Bool) {
            let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
                guard state.answer == nil else { return nil }
                state.answer = answer
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: answer)
        }

        var value: Bool {
            get async {
                await withCheckedContinuation { continuation in
                    let answer: Bool? = state.withLock { state in
                        if let answer = state.answer { return answer }
                        state.waiter = continuation
                        return nil
                    }
                    if let answer { continuation.resume(returning: answer) }
                }
            }
        }
    }

    public func translate(_ error: any Error) -> any Error {
        if let transactionError = error as? PostgresTransactionError {
            if let inner = transactionError.closureError ?? transactionError.beginError ?? transactionError.commitError
            {
                return translate(inner)
            }
        }
        if let psqlError = error as? PSQLError {
            if psqlError.code == .server {
                if psqlError.serverInfo?[.sqlState] == "23505" {
                    return StoreError.conflict("\(psqlError.serverInfo?[.tableName] ?? "record") already exists")
                }
                if psqlError.serverInfo?[.sqlState] == "23503" {
                    return StoreError.notFound(kind: psqlError.serverInfo?[.tableName] ?? "record", id: "")
                }
                return error
            }
            return StoreError.unavailable("PostgreSQL connection failed (\(psqlError.code))")
        }
        return error
    }
}

/// Decides, once, between a transaction getting its connection and its watchdog giving up: whichever
/// comes first wins, so a body never runs after the caller was told nothing happened.
private final class ConnectedFlag: Sendable {
    private enum State { case waiting, connected, expired }
    private let state = Mutex(State.waiting)

    /// Called with the connection: true if the body may run.
    func claim() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .connected
            return true
        }
    }

    /// Called by the watchdog: true if it gave up before a connection came.
    func expire() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .expired
            return true
        }
    }
}

/// The `postgres://` URL could not be understood.
public struct DatabaseURLError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "invalid database URL: \(message)" }
}
