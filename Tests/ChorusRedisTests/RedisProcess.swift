import ChorusRedis
import Foundation
import NIOCore
import NIOPosix

/// A throw-away `redis-server` child process on a loopback port, for the tests that stop and
/// restart their server or need a password. `/usr/bin/redis-server`, or `CHORUS_REDIS_SERVER`.
final class RedisProcess {
    static let executable = ProcessInfo.processInfo.environment["CHORUS_REDIS_SERVER"] ?? "/usr/bin/redis-server"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: self.executable) }

    let port: Int
    private let process = Process()
    private let directory: URL

    /// Starts a server on `port` (a free one if nil) and returns once it accepts connections.
    init(port: Int? = nil, password: String? = nil) async throws {
        if let port {
            self.port = port
        } else {
            self.port = try await Self.freePort()
        }
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-redis-\(UUID())")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        var arguments = [
            "--port", "\(self.port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", self.directory.path, "--logfile", "",
        ]
        if let password { arguments += ["--requirepass", password] }
        self.process.executableURL = URL(fileURLWithPath: Self.executable)
        self.process.arguments = arguments
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardError = FileHandle.nullDevice
        try self.process.run()
        try await self.waitUntilListening()
    }

    deinit {
        self.stop()
    }

    /// Kills the server (the kernel closes every connection, as in a crash) and waits for it to exit.
    /// Idempotent. SIGKILL because the child inherits a signal mask that blocks SIGTERM.
    func stop() {
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// Polls until the port accepts a connection (the server listens once it is initialised).
    private func waitUntilListening() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        while true {
            guard self.process.isRunning else { throw RedisProcessError.exited(self.process.terminationStatus) }
            if let channel = try? await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: self.port).get()
            {
                try? await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// A port the kernel just handed out on 127.0.0.1 (free unless someone binds it meanwhile).
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

enum RedisProcessError: Error {
    case exited(Int32)
}
