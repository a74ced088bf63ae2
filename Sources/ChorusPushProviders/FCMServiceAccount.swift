import ChorusProtocol
package import ChorusPush

/// What the FCM provider reads from a Google service account key file.
package struct FCMServiceAccount: Sendable, Hashable {
    package var clientEmail: String
    /// The RSA private key, PEM (PKCS#8).
    package var privateKeyPEM: String
    package var tokenURI: String
    package var projectID: String?

    /// The account in `credential`'s key file; throws a ``ProviderFailure`` when a field is missing.
    package init(_ credential: FCMCredential) throws {
        let json = try? JSONValue(parsing: credential.serviceAccountJSON)
        guard let clientEmail = json?["client_email"]?.stringValue,
            let privateKeyPEM = json?["private_key"]?.stringValue
        else {
            throw ProviderFailure(
                .rejected(.invalidCredential, "the service account lacks client_email or private_key")
            )
        }
        self.clientEmail = clientEmail
        self.privateKeyPEM = privateKeyPEM
        self.tokenURI = json?["token_uri"]?.stringValue ?? "https://oauth2.googleapis.com/token"
        self.projectID = json?["project_id"]?.stringValue
    }
}
