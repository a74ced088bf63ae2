"""Loopback stand-ins for FCM HTTP v1 (with its OAuth token endpoint) and a Web Push service, for
the Python tests: each verifies what the real service verifies, records what it accepted and
answers as a test scripted per registration token or subscription.

    fcm = FakeFCM()                                  # serving on 127.0.0.1:<free port>
    account_json = fcm.make_service_account()        # token_uri at fcm.token_url
    fcm.script("device-1", GONE)                     # or rate_limited(7, times=2), server_error(1), HANG
    ...                                              # point the server's FCM base URL at fcm.base_url
    assert fcm.deliveries["device-1"] == 1
    fcm.close()

FakeWebPush works alike: make_subscription() gives the browser's endpoint, p256dh and auth; every
accepted message is decrypted (RFC 8291) and its plaintext recorded.
"""
import base64
import json
import os
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Scripted behaviours (what a fake answers for one token or subscription).
ACCEPT = ("accept",)
GONE = ("gone",)  # FCM 404 UNREGISTERED, Web Push 410
BAD_DEVICE_TOKEN = ("bad_device_token",)  # FCM 400 INVALID_ARGUMENT, Web Push 404
HANG = ("hang",)  # never answer


def rate_limited(retry_after_seconds, times):
    """429 with Retry-After for the next `times` requests, then accept."""
    return ("rate_limited", retry_after_seconds, times)


def server_error(times):
    """500 for the next `times` requests (float("inf"): always), then accept."""
    return ("server_error", times)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def split_jws(token):
    """(header, claims, signing input, signature) of a compact JWS; ValueError when malformed."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    header = json.loads(b64url_decode(parts[0]))
    claims = json.loads(b64url_decode(parts[1]))
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise ValueError("header and claims must be objects")
    return header, claims, f"{parts[0]}.{parts[1]}".encode(), b64url_decode(parts[2])


class _Ledger:
    """Attempts, accepted notifications and scripts, shared by a fake's request threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.scripts = {}
        self.attempts = Counter()
        self.deliveries = Counter()
        self.received = []  # (target, payload) in order accepted

    def script(self, target, behaviour):
        with self.lock:
            self.scripts[target] = behaviour

    def count_attempt(self, target):
        with self.lock:
            self.attempts[target] += 1

    def answer(self, target):
        """The scripted answer to a verified request, consuming one of a limited script."""
        with self.lock:
            behaviour = self.scripts.get(target, ACCEPT)
            kind = behaviour[0]
            if kind in ("rate_limited", "server_error"):
                times = behaviour[-1]
                if times <= 0:
                    self.scripts.pop(target, None)
                    return ACCEPT
                self.scripts[target] = behaviour[:-1] + (times - 1,)
                return behaviour[:-1]
            return behaviour

    def record(self, target, payload):
        with self.lock:
            self.deliveries[target] += 1
            self.received.append((target, payload))


class _FakeServer:
    """A ThreadingHTTPServer on 127.0.0.1:0 in a daemon thread, answering through `respond`."""

    def __init__(self):
        self.ledger = _Ledger()
        self.closed = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = fake.respond(self.path, self.headers, body)
                if answer is None:  # hang until the fake closes
                    fake.closed.wait()
                    self.close_connection = True
                    return
                status, headers, payload = answer
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if not isinstance(payload, bytes):
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def script(self, target, behaviour):
        self.ledger.script(target, behaviour)

    @property
    def attempts(self):
        with self.ledger.lock:
            return Counter(self.ledger.attempts)

    @property
    def deliveries(self):
        with self.ledger.lock:
            return Counter(self.ledger.deliveries)

    @property
    def received(self):
        with self.ledger.lock:
            return list(self.ledger.received)

    def close(self):
        self.closed.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FakeFCM(_FakeServer):
    """FCM HTTP v1: `POST /token` (RS256 service-account assertion → access token) and
    `POST /v1/projects/{project}/messages:send` (that token, a message with a token and string data)."""

    MESSAGE_FIELDS = {"name", "data", "notification", "android", "webpush", "apns", "fcm_options", "token", "topic",
                      "condition"}
    SCOPES = {"https://www.googleapis.com/auth/firebase.messaging", "https://www.googleapis.com/auth/cloud-platform"}

    def __init__(self):
        self.accounts = {}  # client_email -> (project_id, public key)
        self.access_tokens = {}  # token -> (project_id, expires at)
        super().__init__()
        self.token_url = self.base_url + "/token"

    def make_service_account(self, project_id="chorus-test",
                             client_email="chorus-push@chorus-test.iam.gserviceaccount.com"):
        """A new RSA-2048 service account registered here; returns its key file's JSON text."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.register(client_email, project_id, key.public_key())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        return json.dumps({
            "type": "service_account", "project_id": project_id, "private_key_id": uuid.uuid4().hex,
            "private_key": pem, "client_email": client_email, "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": self.token_url,
        })

    def register(self, client_email, project_id, public_key):
        self.accounts[client_email] = (project_id, public_key)

    @property
    def issued_token_count(self):
        return len(self.access_tokens)

    def respond(self, path, headers, body):
        path = urllib.parse.urlsplit(path).path
        if path == "/token":
            return self._issue_token(body)
        parts = path.split("/")
        if len(parts) == 5 and parts[:3] == ["", "v1", "projects"] and parts[4] == "messages:send":
            return self._send(parts[3], headers, body)
        return self._error(404, "NOT_FOUND", f"Not found: {path}")

    def _issue_token(self, body):
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return 400, {}, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
        try:
            header, claims, signing_input, signature = split_jws(form.get("assertion", ""))
        except ValueError:
            return 400, {}, {"error": "invalid_request", "error_description": "Invalid JWT: malformed assertion."}
        account = self.accounts.get(claims.get("iss"))
        if account is None:
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid email or User ID"}
        project_id, public_key = account
        try:
            if header.get("alg") != "RS256":
                raise InvalidSignature()
            public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        if claims.get("aud") != self.token_url:
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid JWT: Failed audience check."}
        if not self.SCOPES & set(str(claims.get("scope", "")).split()):
            return 400, {}, {"error": "invalid_scope", "error_description": "Invalid OAuth scope."}
        now, iat, exp = time.time(), claims.get("iat"), claims.get("exp")
        if not (isinstance(iat, (int, float)) and isinstance(exp, (int, float))
                and iat <= now + 60 and iat < exp and exp > now and exp - iat <= 3600):
            return 400, {}, {"error": "invalid_grant",
                             "error_description": "Invalid JWT: Token must be a short-lived token (60 minutes) and in "
                                                  "a reasonable timeframe."}
        token = "ya29.fake-" + uuid.uuid4().hex
        with self.ledger.lock:
            self.access_tokens[token] = (project_id, now + 3600)
        return 200, {}, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}

    def _send(self, project, headers, body):
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        message = request.get("message") if isinstance(request, dict) else None
        token = message.get("token") if isinstance(message, dict) else None
        if isinstance(token, str):
            self.ledger.count_attempt(token)
        authorization = headers.get("Authorization") or ""
        with self.ledger.lock:
            issued = self.access_tokens.get(authorization[7:]) if authorization.lower().startswith("bearer ") else None
        if issued is None or issued[1] < time.time():
            return self._error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if issued[0] != project:
            return self._error(403, "PERMISSION_DENIED", "Permission 'cloudmessaging.messages.create' denied.")
        problem = self._problem(request)
        if problem:
            return self._error(400, "INVALID_ARGUMENT", problem, "INVALID_ARGUMENT")
        answer = self.ledger.answer(token)
        kind = answer[0]
        if kind == "accept":
            self.ledger.record(token, message)
            return 200, {}, {"name": f"projects/{project}/messages/{uuid.uuid4().int >> 64}"}
        if kind == "hang":
            return None
        if kind == "gone":
            return self._error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
        if kind == "bad_device_token":
            return self._error(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token",
                               "INVALID_ARGUMENT")
        if kind == "rate_limited":
            return self._error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED",
                               {"Retry-After": str(answer[1])})
        return self._error(500, "INTERNAL", "Internal error encountered.", "INTERNAL")

    def _problem(self, request):
        if not isinstance(request, dict) or not isinstance(request.get("message"), dict):
            return "Invalid JSON payload received."
        message = request["message"]
        unknown = set(message) - self.MESSAGE_FIELDS
        if unknown:
            return f"Invalid JSON payload received. Unknown name \"{sorted(unknown)[0]}\" at 'message'."
        if not isinstance(message.get("token"), str) or not message["token"]:
            return "Recipient of the message is not set."
        data = message.get("data", {})
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            return "Invalid value at 'message.data' (TYPE_STRING)."
        return None

    @staticmethod
    def _error(code, status, text, fcm_error_code=None, headers=None):
        error = {"code": code, "message": text, "status": status}
        if fcm_error_code:
            error["details"] = [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                 "errorCode": fcm_error_code}]
        return code, headers or {}, {"error": error}


class FakeWebPush(_FakeServer):
    """A Web Push service (RFC 8030): `POST /push/{id}` with VAPID (RFC 8292), `Content-Encoding:
    aes128gcm` and `TTL`; the body is decrypted with the subscription's keys (RFC 8291)."""

    def __init__(self):
        self.subscriptions = {}  # id -> (private key, auth secret)
        super().__init__()

    def make_subscription(self, private_key=None, auth_secret=None):
        """A browser's subscription: {"id", "endpoint", "p256dh", "auth"} (keys base64url)."""
        private_key = private_key or ec.generate_private_key(ec.SECP256R1())
        auth_secret = auth_secret or os.urandom(16)
        sid = uuid.uuid4().hex
        self.subscriptions[sid] = (private_key, auth_secret)
        public = private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                       serialization.PublicFormat.UncompressedPoint)
        return {"id": sid, "endpoint": f"{self.base_url}/push/{sid}", "p256dh": b64url_encode(public),
                "auth": b64url_encode(auth_secret)}

    def respond(self, path, headers, body):
        path = urllib.parse.urlsplit(path).path
        if not path.startswith("/push/"):
            return 404, {}, b""
        sid = path[len("/push/"):]
        self.ledger.count_attempt(sid)
        if sid not in self.subscriptions:
            return 404, {}, b""
        problem = self._vapid_problem(headers.get("Authorization") or "")
        if problem:
            return 401, {}, problem.encode()
        if (headers.get("Content-Encoding") or "").lower() != "aes128gcm":
            return 415, {}, b"Content-Encoding must be aes128gcm"
        if not (headers.get("TTL") or "").isdigit():
            return 400, {}, b"a TTL header is required"
        if len(body) > 4096:
            return 413, {}, b""
        try:
            plaintext = decrypt(body, *self.subscriptions[sid])
        except (ValueError, InvalidTag):
            return 400, {}, b"the body does not decrypt with the subscription's keys"
        answer = self.ledger.answer(sid)
        kind = answer[0]
        if kind == "accept":
            self.ledger.record(sid, plaintext)
            return 201, {"Location": f"/message/{uuid.uuid4().hex}"}, b""
        if kind == "hang":
            return None
        if kind == "rate_limited":
            return 429, {"Retry-After": str(answer[1])}, b""
        return {"gone": 410, "bad_device_token": 404}.get(kind, 500), {}, b""

    def _vapid_problem(self, authorization):
        if not authorization.lower().startswith("vapid "):
            return "Authorization: vapid t=..., k=... is required"
        params = dict(p.strip().split("=", 1) for p in authorization[6:].split(",") if "=" in p)
        try:
            header, claims, signing_input, signature = split_jws(params["t"])
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(params["k"]))
            if header.get("alg") != "ES256" or len(signature) != 64:
                raise InvalidSignature()
            der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        except (KeyError, ValueError, InvalidSignature):
            return "the VAPID token is not signed by k"
        if claims.get("aud") != self.base_url:
            return "the VAPID aud is not this origin"
        exp = claims.get("exp")
        if not isinstance(exp, (int, float)) or not time.time() < exp <= time.time() + 86400:
            return "the VAPID exp is past or more than 24 hours ahead"
        if not claims.get("sub"):
            return "the VAPID token has no sub"
        return None


def decrypt(message, private_key, auth_secret):
    """The plaintext of a Web Push message (RFC 8291, one aes128gcm record)."""
    if len(message) < 21:
        raise ValueError("short header")
    salt, record_size, key_length = message[:16], int.from_bytes(message[16:20], "big"), message[20]
    sender = message[21:21 + key_length]
    record = message[21 + key_length:]
    if record_size < 18 or len(record) > record_size or len(record) < 17:
        raise ValueError("bad record")
    sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
    receiver = private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                     serialization.PublicFormat.UncompressedPoint)
    shared = private_key.exchange(ec.ECDH(), sender_key)
    ikm = HKDF(hashes.SHA256(), 32, auth_secret, b"WebPush: info\x00" + receiver + sender).derive(shared)
    cek = HKDF(hashes.SHA256(), 16, salt, b"Content-Encoding: aes128gcm\x00").derive(ikm)
    nonce = HKDF(hashes.SHA256(), 12, salt, b"Content-Encoding: nonce\x00").derive(ikm)
    padded = AESGCM(cek).decrypt(nonce, bytes(record), None).rstrip(b"\x00")
    if not padded.endswith(b"\x02"):
        raise ValueError("bad padding")
    return padded[:-1]
