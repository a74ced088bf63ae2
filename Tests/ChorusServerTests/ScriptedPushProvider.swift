import ChorusPush
import Synchronization

/// A provider that answers each device from a script (default: delivered) and records every
/// attempt: what the dispatcher's retries, dead letters and removals are tested against.
final class ScriptedPushProvider: PushProvider {
    let platform: PushPlatform
    private let script: Mutex<[String: [DeliveryAttempt]]>
    private let attempts = Mutex<[String: Int]>([:])
    private let notifications = Mutex<[PushNotification]>([])

    /// `script[token]` lists the answers to that token's attempts in order; past its end, and for
    /// tokens without a script, the answer is `.delivered`.
    init(_ platform: PushPlatform, script: [String: [DeliveryAttempt]] = [:]) {
        self.platform = platform
        self.script = Mutex(script)
    }

    func send(
        _ notification: PushNotification,
        to token: ProviderToken,
        credential: StoredCredential
    ) async -> DeliveryAttempt {
        let key = token.storedText
        attempts.withLock { $0[key, default: 0] += 1 }
        notifications.withLock { $0.append(notification) }
        return script.withLock { script in
            guard var answers = script[key], !answers.isEmpty else { return .delivered }
            let answer = answers.removeFirst()
            script[key] = answers
            return answer
        }
    }

    /// How many times `token` was attempted.
    func attempts(_ token: String) -> Int {
        attempts.withLock { $0[token, default: 0] }
    }

    /// Every attempt's notification, in order.
    var sent: [PushNotification] { notifications.withLock { $0 } }
}
