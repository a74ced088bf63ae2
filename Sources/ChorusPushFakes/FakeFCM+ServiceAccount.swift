import ChorusProtocol
import Crypto
import _CryptoExtras

extension FakeFCM {
    /// A new service account for `projectID` registered with this fake: an RSA-2048 key, its
    /// `token_uri` at ``tokenURL``. Returns the key file's JSON text, as Google hands it out.
    package func makeServiceAccount(
        projectID: String = "chorus-test",
        clientEmail: String = "chorus-push@chorus-test.iam.gserviceaccount.com"
    ) throws -> String {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        register(clientEmail: clientEmail, projectID: projectID, publicKey: key.publicKey)
        let keyID = Hex.encode(SHA256.hash(data: key.publicKey.derRepresentation).prefix(20))
        let account: JSONValue = [
            "type": "service_account",
            "project_id": .string(projectID),
            "private_key_id": .string(keyID),
            "private_key": .string(key.pkcs8PEMRepresentation + "\n"),
            "client_email": .string(clientEmail),
            "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": .string(tokenURL),
        ]
        return account.jsonText
    }
}
