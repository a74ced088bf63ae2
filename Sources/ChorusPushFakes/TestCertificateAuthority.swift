/// The test certificate authority the fake APNs endpoint's certificate chains to, and that
/// certificate with its key (EC P-256, `localhost` and `127.0.0.1`, valid until 2126). Made once
/// with openssl for tests only: it protects nothing.
package enum TestCertificateAuthority {
    /// The CA certificate, PEM: what a client under test trusts (`push_delivery.trust_roots_file`).
    package static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBmDCCAT+gAwIBAgIUQaFraRixsib6S55zACo2fM3UB6gwCgYIKoZIzj0EAwIw
        GTEXMBUGA1UEAwwOQ2hvcnVzIFRlc3QgQ0EwIBcNMjYxMTMwMTA1NzM5WhgPMjEy
        NjExMDYxMDU3MzlaMBkxFzAVBgNVBAMMDkNob3J1cyBUZXN0IENBMFkwEwYHKoZI
        zj0CAQYIKoZIzj0DAQcDQgAEjt67xEheUKTIANqMiF6SPio33OZrD4mSzntc42Ug
        c4orVk/m1hO+RbG+SfU/QdYipnLfMppXRYMfjNcDBq1xIaNjMGEwHQYDVR0OBBYE
        FKI8BzKETm1nhFCuMRGVeP5uXO6rMB8GA1UdIwQYMBaAFKI8BzKETm1nhFCuMRGV
        eP5uXO6rMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49
        BAMCA0cAMEQCIEilQgkrwxlQo18ut/EwQxN2k86jwjWjNZrICLSQSVf3AiBIKTEw
        BvcFy632wQtUL6KcsCoCHfn6258pJbgoXSe6ww==
        -----END CERTIFICATE-----
        """

    /// The fake endpoint's certificate, PEM, issued by the CA.
    package static let serverCertificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBvjCCAWSgAwIBAgIUTK1nM/dRk6nGMJB1jJBX6J2/LmYwCgYIKoZIzj0EAwIw
        GTEXMBUGA1UEAwwOQ2hvcnVzIFRlc3QgQ0EwIBcNMjYxMTMwMTA1NzM5WhgPMjEy
        NjExMDYxMDU3MzlaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEG
        CCqGSM49AwEHA0IABFUeLDM0kHsAPKqpDYZmD/4i6L/WGm2teWMWM5XZoeiibDu7
        TYnPz4n34fQaj99thaGp0OSoTkE8pJd1swuPwFmjgYwwgYkwGgYDVR0RBBMwEYIJ
        bG9jYWxob3N0hwR/AAABMAkGA1UdEwQCMAAwCwYDVR0PBAQDAgeAMBMGA1UdJQQM
        MAoGCCsGAQUFBwMBMB0GA1UdDgQWBBS5KAaZAc8LjLPV864+n8dCCKl2MjAfBgNV
        HSMEGDAWgBSiPAcyhE5tZ4RQrjERlXj+blzuqzAKBggqhkjOPQQDAgNIADBFAiBk
        3cN2aNVZ7ITpCJXgdEYztVyhacHav3lcGCYvh2b+UgIhAL3/gbqoHhRwEdgnskku
        YFA8LX0xYAvMqtxUjXCyuCek
        -----END CERTIFICATE-----
        """

    /// The fake endpoint's private key, PEM (PKCS#8).
    package static let serverKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgDOGdIsWqOHcMrSsD
        BapUk4wVnD3PPof7m+sfqXt8DhGhRANCAARVHiwzNJB7ADyqqQ2GZg/+Iui/1hpt
        rXljFjOV2aHoomw7u02Jz8+J9+H0Go/fbYWhqdDkqE5BPKSXdbMLj8BZ
        -----END PRIVATE KEY-----
        """
}
