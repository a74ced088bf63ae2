package import AsyncHTTPClient
package import ChorusPush
import NIOCore
import NIOHTTP1
import NIOSSL

extension HTTPClient {
    /// The client every provider shares: HTTP/2 where the service offers it over TLS (one
    /// connection multiplexes many streams), the configured trust roots, no redirects.
    package static func makePushClient(configuration: ProviderConfiguration) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let pem = configuration.trustRootsPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        }
        let timeout = TimeAmount.milliseconds(Int64(configuration.requestTimeoutSeconds * 1000))
        var settings = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: timeout),
            // HTTP/1.1 services (plain-HTTP fakes, some Web Push endpoints) get a connection per
            // concurrent request up to this many; HTTP/2 ones share one connection.
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: min(configuration.maxConcurrentRequests, 64)
            )
        )
        settings.httpVersion = .automatic
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
    }

    /// Sends `request` and reads the whole answer, within `timeoutSeconds`.
    package func exchange(_ request: ProviderRequest, timeoutSeconds: Double) async throws -> ProviderResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeoutSeconds * 1000))
        let response = try await execute(outgoing, deadline: deadline)
        let body = try await response.body.collect(upTo: 1 << 20)
        return ProviderResponse(
            status: Int(response.status.code),
            retryAfter: response.headers.first(name: "retry-after"),
            body: Array(buffer: body)
        )
    }
}

extension HTTPClient {
    /// Sends `request` and classifies the answer; no answer at all is worth another try.
    package func deliver(
        _ request: ProviderRequest,
        timeoutSeconds: Double,
        classify: (ProviderResponse) -> ProviderVerdict
    ) async -> ProviderVerdict {
        do {
            return classify(try await exchange(request, timeoutSeconds: timeoutSeconds))
        } catch {
            return ProviderVerdict(.transportFailure(error))
        }
    }
}

extension DeliveryAttempt {
    /// A request that got no answer: worth another try.
    package static func transportFailure(_ error: any Error) -> DeliveryAttempt {
        let timeouts: [HTTPClientError] = [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout]
        if let error = error as? HTTPClientError, timeouts.contains(error) {
            return .retry(reason: "timeout", retryAfter: nil)
        }
        return .retry(reason: "connection failed: \(error)", retryAfter: nil)
    }
}
