"""TLS (`tls: {cert_file, key_file}`) against a real `chorus serve`: Python `websockets` over wss://
and the official `pusher` SDK with ssl=True trusting a test CA made by scripts/lib/test-certs.sh;
handshakes that must fail (a client trusting another CA, an expired certificate); plain text on the
TLS port answered with a clean 400; the certificate reloaded on SIGHUP without dropping open
connections; bad or missing files stopping start-up with a message naming them."""
import asyncio
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading

import pusher
import pytest
import websockets
from pusher.requests import RequestsBackend

from conftest import CHORUS_BIN, ROOT, start_chorus


@pytest.fixture(scope="module")
def certs():
    directory = tempfile.mkdtemp(prefix="chorus-test-certs-")
    subprocess.run([os.path.join(ROOT, "scripts", "lib", "test-certs.sh"), directory], check=True)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def tls_config(cert_file, key_file):
    return f"tls: {{cert_file: {cert_file}, key_file: {key_file}}}\napi_requests_per_ip_per_minute: 0\n"


@pytest.fixture(scope="module")
def server(certs):
    server = start_chorus(tls_config(f"{certs}/server.pem", f"{certs}/server.key"))
    yield server
    server.stop()


class TrustingBackend(RequestsBackend):
    """The SDK's requests backend trusting `ca_file`: with ssl=True the SDK pins its own bundled roots."""

    def __init__(self, client, ca_file, **options):
        super().__init__(client, **options)
        self.options["verify"] = ca_file


def sdk(server, ca_file):
    return pusher.Pusher(app_id=server.app_id, key=server.key, secret=server.secret, host=server.host,
                         port=server.port, ssl=True, backend=TrustingBackend, ca_file=ca_file)


def wss_url(server):
    return server.ws_url().replace("ws://", "wss://", 1)


def trusting(ca_file):
    return ssl.create_default_context(cafile=ca_file)


def leaf_der(pem_path):
    """The DER bytes of the first certificate of a PEM chain file."""
    with open(pem_path) as handle:
        text = handle.read()
    end = text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
    return ssl.PEM_cert_to_DER_cert(text[:end])


def served_certificate(server):
    """The certificate a new connection is served (DER), without verifying it."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((server.host, server.port), timeout=10) as raw:
        with context.wrap_socket(raw) as tls:
            return tls.getpeercert(binary_form=True)


async def subscribed(url, ca_file, channel="news"):
    connection = await websockets.connect(url, ssl=trusting(ca_file))
    established = json.loads(await connection.recv())
    assert established["event"] == "pusher:connection_established"
    await connection.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": channel}}))
    assert json.loads(await connection.recv())["event"] == "pusher_internal:subscription_succeeded"
    return connection


async def next_event(connection):
    return json.loads(await asyncio.wait_for(connection.recv(), 10))


def test_wss_subscriber_receives_an_event_published_over_https_with_the_sdk(server, certs):
    async def scenario():
        connection = await subscribed(wss_url(server), f"{certs}/ca.pem")
        sdk(server, f"{certs}/ca.pem").trigger("news", "story", {"headline": "TLS"})
        event = await next_event(connection)
        assert (event["event"], json.loads(event["data"])) == ("story", {"headline": "TLS"})
        await connection.close()

    asyncio.run(scenario())


def test_the_served_chain_includes_the_intermediate(server, certs):
    # A client trusting only the root verifies the leaf through the intermediate the server sends.
    context = trusting(f"{certs}/ca.pem")
    with socket.create_connection((server.host, server.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.getpeercert()["subjectAltName"] == (("IP Address", "127.0.0.1"), ("DNS", "localhost"))


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated")
def test_tls_before_1_2_is_refused(server, certs):
    context = trusting(f"{certs}/ca.pem")
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("ALL:@SECLEVEL=0")
    with socket.create_connection((server.host, server.port), timeout=10) as raw:
        # The server's protocol_version alert: it speaks TLS 1.2 and 1.3 only.
        with pytest.raises(ssl.SSLError, match="TLSV1_ALERT_PROTOCOL_VERSION"):
            context.wrap_socket(raw, server_hostname="localhost")


def test_a_client_trusting_another_ca_fails_the_handshake(server, certs):
    async def scenario():
        with pytest.raises(ssl.SSLCertVerificationError, match="unable to get local issuer certificate"):
            await websockets.connect(wss_url(server), ssl=trusting(f"{certs}/other-ca.pem"))

    asyncio.run(scenario())
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
        sdk(server, f"{certs}/other-ca.pem").trigger("news", "story", {})


def test_an_expired_certificate_fails_the_handshake(certs):
    expired = start_chorus(tls_config(f"{certs}/expired.pem", f"{certs}/expired.key"))
    try:
        async def scenario():
            with pytest.raises(ssl.SSLCertVerificationError, match="certificate has expired"):
                await websockets.connect(wss_url(expired), ssl=trusting(f"{certs}/ca.pem"))

        asyncio.run(scenario())
    finally:
        expired.stop()


@pytest.mark.parametrize("request_bytes", [
    b"GET /apps/1/channels HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /app/chorus-key?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
])
def test_plain_text_on_the_tls_port_gets_a_clean_400(certs, request_bytes):
    server = start_chorus(tls_config(f"{certs}/server.pem", f"{certs}/server.key"))
    try:
        with socket.create_connection((server.host, server.port), timeout=10) as raw:
            raw.sendall(request_bytes)
            answer = b""
            while chunk := raw.recv(4096):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n")
        assert b"Connection: close" in head
        assert json.loads(body) == {
            "error": "This port speaks TLS only: connect with https:// or wss://", "code": "tls_required"}
        # The port still serves TLS afterwards.
        assert served_certificate(server) == leaf_der(f"{certs}/server.pem")
    finally:
        server.stop()
        log = server.process.stdout.read()
    assert "NIOSSL" not in log and "error" not in log.lower()


class LoggedServer:
    """`chorus serve` at info level whose output lines are collected, to see what a SIGHUP did."""

    def __init__(self, config_path):
        self.process = subprocess.Popen([CHORUS_BIN, "serve", "--port", "0", "--metrics-port", "0", "--config", config_path],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        cwd=tempfile.mkdtemp(prefix="chorus-serve-"))
        self.lines, self.changed = [], threading.Condition()
        threading.Thread(target=self._collect, daemon=True).start()
        banner = self.wait_for("serving on wss://")
        self.host, self.port = "127.0.0.1", int(banner.split("127.0.0.1:")[1].split("/")[0])
        self.app_id, self.key, self.secret = "1", "chorus-key", "chorus-secret"

    def _collect(self):
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_for(self, text, after=0):
        """The first output line from index `after` on containing `text` (fails after 10 s without it)."""
        with self.changed:
            found = self.changed.wait_for(
                lambda: next((line for line in self.lines[after:] if text in line), None), timeout=10)
        assert found, f"no '{text}' in the server output:\n{''.join(self.lines)}"
        return found

    def hang_up(self, expect):
        seen = len(self.lines)
        self.process.send_signal(signal.SIGHUP)
        return self.wait_for(expect, after=seen)

    def ws_url(self):
        return f"wss://{self.host}:{self.port}/app/{self.key}?protocol=7&client=python&version=1.0"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def test_sighup_reloads_the_certificate_without_dropping_open_connections(certs, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    shutil.copy(f"{certs}/server.pem", cert)
    shutil.copy(f"{certs}/server.key", key)
    config = tmp_path / "chorus.yaml"
    config.write_text(tls_config(cert, key))
    server = LoggedServer(str(config))
    try:
        async def scenario():
            before = await subscribed(server.ws_url(), f"{certs}/ca.pem")
            assert served_certificate(server) == leaf_der(f"{certs}/server.pem")

            # A broken file: the reload fails, is logged, and the certificate in use stays.
            cert.write_text("not a certificate\n")
            failure = server.hang_up("TLS reload failed")
            assert str(cert) in failure and "holds no PEM certificate" in failure
            assert served_certificate(server) == leaf_der(f"{certs}/server.pem")

            shutil.copy(f"{certs}/renewed.pem", cert)
            shutil.copy(f"{certs}/renewed.key", key)
            server.hang_up("TLS certificate reloaded")
            assert served_certificate(server) == leaf_der(f"{certs}/renewed.pem")
            after = await subscribed(server.ws_url(), f"{certs}/ca.pem")

            # The connection opened before both reloads and the one opened after each get the event.
            sdk(server, f"{certs}/ca.pem").trigger("news", "story", {"n": 1})
            for connection in (before, after):
                event = await next_event(connection)
                assert (event["event"], json.loads(event["data"])) == ("story", {"n": 1})
                await connection.close()

        asyncio.run(scenario())
    finally:
        server.stop()


def serve(config_text, tmp_path):
    config = tmp_path / "chorus.yaml"
    config.write_text(config_text)
    return subprocess.run([CHORUS_BIN, "serve", "--port", "0", "--metrics-port", "0", "--config", str(config)],
                          capture_output=True, text=True, timeout=30, cwd=tmp_path)


def test_a_missing_certificate_file_stops_start_up(certs, tmp_path):
    result = serve(tls_config(tmp_path / "missing.pem", f"{certs}/server.key"), tmp_path)
    assert result.returncode != 0
    assert f"tls.cert_file {tmp_path / 'missing.pem'}: no such file" in result.stderr


def test_a_file_that_is_not_pem_stops_start_up(certs, tmp_path):
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("hello\n")
    result = serve(tls_config(garbage, f"{certs}/server.key"), tmp_path)
    assert result.returncode != 0
    assert f"tls.cert_file {garbage}: holds no PEM certificate" in result.stderr
    result = serve(tls_config(f"{certs}/server.pem", garbage), tmp_path)
    assert result.returncode != 0
    assert f"tls.key_file {garbage}: holds no unencrypted PEM private key" in result.stderr


def test_a_key_that_does_not_match_the_certificate_stops_start_up(certs, tmp_path):
    result = serve(tls_config(f"{certs}/server.pem", f"{certs}/renewed.key"), tmp_path)
    assert result.returncode != 0
    assert f"tls.key_file {certs}/renewed.key: is not the private key of the first certificate" in result.stderr
