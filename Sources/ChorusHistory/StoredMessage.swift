/// A channel of one app: where retained messages live.
public struct ChannelRef: Sendable, Hashable {
    public var appID: String
    public var channel: String

    public init(appID: String, channel: String) {
        self.appID = appID
        self.channel = channel
    }
}

/// What a version of a message did (`action` of the message object).
public enum MessageAction: String, Sendable, Hashable, CaseIterable {
    case create, update, delete, append
}

/// Who made a version and why: the message object's `version`.
public struct MessageVersionInfo: Sendable, Hashable {
    /// Opaque, ≤ 128 bytes of `[A-Za-z0-9._:-]`, sorting as a string in commit order.
    public var serial: String
    public var timestampMs: Int64
    public var clientID: String?
    public var description: String?
    /// Compact JSON text of the mutation's `metadata`, if it had one.
    public var metadata: String?

    public init(
        serial: String,
        timestampMs: Int64,
        clientID: String? = nil,
        description: String? = nil,
        metadata: String? = nil
    ) {
        self.serial = serial
        self.timestampMs = timestampMs
        self.clientID = clientID
        self.description = description
        self.metadata = metadata
    }
}

/// One state of a retained message: its latest visible state, or one entry of its version list
/// (where an `append` carries only the appended fragment as `data`).
public struct StoredMessage: Sendable, Hashable {
    public var channel: ChannelRef
    /// Opaque, ≤ 128 bytes of `[A-Za-z0-9._:-]`; the message's identity in every route.
    public var messageSerial: String
    /// Position in the channel's history: from 1, +1 per retained publish, gapless.
    public var historySerial: Int64
    public var publishedAtMs: Int64
    /// The event name.
    public var name: String?
    public var data: String?
    public var action: MessageAction
    /// 1 for the create, +1 per applied mutation.
    public var versionNumber: Int
    public var version: MessageVersionInfo

    public init(
        channel: ChannelRef,
        messageSerial: String,
        historySerial: Int64,
        publishedAtMs: Int64,
        name: String?,
        data: String?,
        action: MessageAction,
        versionNumber: Int,
        version: MessageVersionInfo
    ) {
        self.channel = channel
        self.messageSerial = messageSerial
        self.historySerial = historySerial
        self.publishedAtMs = publishedAtMs
        self.name = name
        self.data = data
        self.action = action
        self.versionNumber = versionNumber
        self.version = version
    }
}

/// A publish to retain: becomes version 1 (`create`) of a message once the store assigns its
/// history serial.
public struct RetainedPublish: Sendable, Hashable {
    public var channel: ChannelRef
    public var messageSerial: String
    public var name: String
    public var data: String
    public var publishedAtMs: Int64

    public init(channel: ChannelRef, messageSerial: String, name: String, data: String, publishedAtMs: Int64) {
        self.channel = channel
        self.messageSerial = messageSerial
        self.name = name
        self.data = data
        self.publishedAtMs = publishedAtMs
    }
}
