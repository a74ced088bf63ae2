"""A WebSocket client over a raw TCP socket, for tests that send what no library would, and the
resident memory of a process."""
import base64
import json
import os
import socket
import struct


class RawClient:
    """A WebSocket client that writes whatever bytes a test asks for."""

    def __init__(self, server, receive_buffer=None, extensions=None):
        self.sock = socket.create_connection((server.host, server.port), timeout=5)
        if receive_buffer:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /app/{server.key}?protocol=7 HTTP/1.1\r\nHost: {server.host}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            + (f"Sec-WebSocket-Extensions: {extensions}\r\n" if extensions else "")
            + "\r\n"
        )
        self.sock.sendall(request.encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101")
        self.response_head = head.decode()
        opcode, payload = self.read_frame()
        established = json.loads(payload)
        assert opcode == 1 and established["event"] == "pusher:connection_established"
        self.socket_id = json.loads(established["data"])["socket_id"]

    @staticmethod
    def frame(opcode, payload=b"", fin=True, rsv=0, masked=True, length=None):
        first = (0x80 if fin else 0) | (rsv << 4) | opcode
        size = len(payload) if length is None else length
        mask_bit = 0x80 if masked else 0
        if size < 126:
            header = struct.pack("!BB", first, mask_bit | size)
        elif size < 65536:
            header = struct.pack("!BBH", first, mask_bit | 126, size)
        else:
            header = struct.pack("!BBQ", first, mask_bit | 127, size)
        if not masked:
            return header + payload
        mask = os.urandom(4)
        return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

    def send(self, data):
        self.sock.sendall(data)

    def send_json(self, message):
        """Sends one Pusher message as a masked text frame."""
        self.send(self.frame(1, json.dumps(message).encode()))

    def read_json(self):
        """The next text frame as JSON."""
        while True:
            opcode, payload = self.read_frame()
            if opcode == 1:
                return json.loads(payload)

    def reset(self):
        """Ends the connection with a TCP RST instead of a close handshake."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def read_exact(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed before a whole frame arrived")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_frame(self):
        first, payload = self.read_frame_with_flags()
        return first & 0x0F, payload

    def read_frame_with_flags(self):
        """The next frame as (its first byte: FIN, RSV1-3 and opcode, its payload)."""
        first, second = self.read_exact(2)
        size = second & 0x7F
        if size == 126:
            (size,) = struct.unpack("!H", self.read_exact(2))
        elif size == 127:
            (size,) = struct.unpack("!Q", self.read_exact(8))
        return first, self.read_exact(size)

    def close_code(self):
        """Reads until the server's close frame; returns its code."""
        while True:
            opcode, payload = self.read_frame()
            if opcode == 8:
                return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")
