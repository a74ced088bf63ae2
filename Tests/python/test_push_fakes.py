"""The Python push fakes verify what the real services verify: a correctly signed request is
accepted and recorded, a bad signature or audience refused, scripts answered as scripted."""
import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from push_fakes import GONE, FakeFCM, FakeWebPush, b64url_decode, b64url_encode, rate_limited

# RFC 8291 section 5 / appendix A: the user agent's keys and a message encrypted for it.
RFC_UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
RFC_AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
RFC_MESSAGE = ("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8w"
               "EqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN")


def post(url, body, headers=None):
    """(status, headers, body bytes) of a POST, error statuses included."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def jws(header, claims, sign):
    encoded = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(json.dumps(claims).encode())
    return encoded + "." + b64url_encode(sign(encoded.encode()))


def rs256(claims, key):
    return jws({"alg": "RS256", "typ": "JWT"}, claims, lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256()))


def es256(claims, key):
    def sign(data):
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return jws({"alg": "ES256", "typ": "JWT"}, claims, sign)


@pytest.fixture
def fcm():
    with FakeFCM() as fake:
        yield fake


@pytest.fixture
def webpush():
    with FakeWebPush() as fake:
        yield fake


def fetch_token(account, key=None, audience=None):
    private_key = key or serialization.load_pem_private_key(account["private_key"].encode(), password=None)
    now = int(time.time())
    assertion = rs256({"iss": account["client_email"], "aud": audience or account["token_uri"], "iat": now,
                       "exp": now + 3600, "scope": "https://www.googleapis.com/auth/firebase.messaging"}, private_key)
    form = urllib.parse.urlencode({"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                   "assertion": assertion}).encode()
    status, _, body = post(account["token_uri"], form, {"Content-Type": "application/x-www-form-urlencoded"})
    return status, json.loads(body)


def send(fcm, access_token, message):
    status, headers, body = post(f"{fcm.base_url}/v1/projects/chorus-test/messages:send",
                                 json.dumps({"message": message}).encode(),
                                 {"Authorization": f"Bearer {access_token}", "Content-Type": "application/json"})
    return status, headers, json.loads(body)


def test_fcm_accepts_a_signed_assertion_and_sends_with_its_token(fcm):
    account = json.loads(fcm.make_service_account())
    assert account["token_uri"] == fcm.token_url
    status, token = fetch_token(account)
    assert status == 200 and token["token_type"] == "Bearer" and token["expires_in"] == 3600
    for _ in range(2):
        status, _, body = send(fcm, token["access_token"], {"token": "device-1", "data": {"order": "42"}})
        assert status == 200 and body["name"].startswith("projects/chorus-test/messages/")
    assert fcm.issued_token_count == 1
    assert fcm.deliveries["device-1"] == 2
    assert fcm.received[0] == ("device-1", {"token": "device-1", "data": {"order": "42"}})


def test_fcm_refuses_a_bad_signature_a_bad_audience_and_an_unknown_token(fcm):
    account = json.loads(fcm.make_service_account())
    status, body = fetch_token(account, key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    assert status == 400 and body == {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
    status, body = fetch_token(account, audience="https://oauth2.googleapis.com/token")
    assert status == 400 and body["error"] == "invalid_grant"
    status, _, body = send(fcm, "ya29.made-up", {"token": "device-1"})
    assert status == 401 and body["error"]["status"] == "UNAUTHENTICATED"
    assert fcm.issued_token_count == 0 and fcm.attempts["device-1"] == 1 and not fcm.received


def test_fcm_answers_as_scripted(fcm):
    _, token = fetch_token(json.loads(fcm.make_service_account()))
    fcm.script("gone", GONE)
    fcm.script("busy", rate_limited(4, times=1))
    status, _, body = send(fcm, token["access_token"], {"token": "gone"})
    assert status == 404 and body["error"]["details"][0]["errorCode"] == "UNREGISTERED"
    status, headers, body = send(fcm, token["access_token"], {"token": "busy"})
    assert status == 429 and headers["Retry-After"] == "4"
    assert send(fcm, token["access_token"], {"token": "busy"})[0] == 200
    status, _, body = send(fcm, token["access_token"], {"token": "device-1", "data": {"n": 1}})
    assert status == 400 and body["error"]["status"] == "INVALID_ARGUMENT"


def vapid_headers(webpush, key, audience=None):
    token = es256({"aud": audience or webpush.base_url, "exp": int(time.time()) + 3600,
                   "sub": "mailto:ops@example.com"}, key)
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"Authorization": f"vapid t={token}, k={b64url_encode(public)}", "Content-Encoding": "aes128gcm",
            "TTL": "60"}


def rfc_subscription(webpush):
    private = ec.derive_private_key(int.from_bytes(b64url_decode(RFC_UA_PRIVATE), "big"), ec.SECP256R1())
    return webpush.make_subscription(private, b64url_decode(RFC_AUTH))


def test_webpush_decrypts_the_rfc8291_example(webpush):
    subscription = rfc_subscription(webpush)
    key = ec.generate_private_key(ec.SECP256R1())
    status, _, _ = post(subscription["endpoint"], b64url_decode(RFC_MESSAGE), vapid_headers(webpush, key))
    assert status == 201
    assert webpush.received == [(subscription["id"], b"When I grow up, I want to be a watermelon")]


def test_webpush_refuses_a_bad_signature_or_audience(webpush):
    subscription = rfc_subscription(webpush)
    key = ec.generate_private_key(ec.SECP256R1())
    forged = vapid_headers(webpush, key)
    other = vapid_headers(webpush, ec.generate_private_key(ec.SECP256R1()))
    forged["Authorization"] = other["Authorization"].split(",")[0] + "," + forged["Authorization"].split(",")[1]
    assert post(subscription["endpoint"], b64url_decode(RFC_MESSAGE), forged)[0] == 401
    wrong_audience = vapid_headers(webpush, key, audience="https://push.example.net")
    assert post(subscription["endpoint"], b64url_decode(RFC_MESSAGE), wrong_audience)[0] == 401
    assert webpush.attempts[subscription["id"]] == 2 and not webpush.received


def test_webpush_answers_as_scripted(webpush):
    subscription = rfc_subscription(webpush)
    webpush.script(subscription["id"], GONE)
    key = ec.generate_private_key(ec.SECP256R1())
    assert post(subscription["endpoint"], b64url_decode(RFC_MESSAGE), vapid_headers(webpush, key))[0] == 410
