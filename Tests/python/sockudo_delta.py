"""A delta client written from Sockudo's DELTA_COMPRESSION.md, independent of the server's code:
full messages carry `__delta_seq` (and `__conflation_key`) as members, stripped to get the base;
`delta` messages name the base by `base_index` (a sequence) among the messages kept for their
conflation key; `delta_cache_sync` fills those caches. Fossil deltas are applied by the decoder
below (written from Fossil's format), VCDIFF (`xdelta3`) ones by PyPI's `vcdiff-decoder`."""
import base64
import json
import re

import vcdiff_decoder

METADATA = re.compile(rb',"__delta_seq":\d+(,"__conflation_key":"(?:[^"\\]|\\.)*")?(?=}$)')
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"


class DeltaError(Exception):
    pass


def fossil_apply(base, delta):
    """Fossil's delta format: a target size, then `N@O,` copies, `N:bytes` inserts, `C;` checksum."""
    position = 0

    def integer():
        nonlocal position
        value = 0
        while position < len(delta) and chr(delta[position]) in DIGITS:
            value = value * 64 + DIGITS.index(chr(delta[position]))
            position += 1
        return value

    size = integer()
    if delta[position:position + 1] != b"\n":
        raise DeltaError("no newline after the size")
    position += 1
    out = bytearray()
    while position < len(delta):
        count = integer()
        op = delta[position:position + 1]
        position += 1
        if op == b"@":
            offset = integer()
            position += 1  # ','
            if offset + count > len(base):
                raise DeltaError("copy past the base")
            out += base[offset:offset + count]
        elif op == b":":
            out += delta[position:position + count]
            position += count
        elif op == b";":
            if len(out) != size or count != fossil_checksum(bytes(out)):
                raise DeltaError("size or checksum mismatch")
            return bytes(out)
        else:
            raise DeltaError(f"unknown operator {op!r}")
    raise DeltaError("no checksum")


def fossil_checksum(data):
    total = 0
    padded = data + b"\0" * (-len(data) % 4)
    for index in range(0, len(padded), 4):
        total = (total + int.from_bytes(padded[index:index + 4], "big")) & 0xFFFFFFFF
    return total


class DeltaClient:
    """Turns what a delta subscriber receives back into the frames a plain subscriber gets."""

    def __init__(self, prefix="pusher"):
        self.prefix = prefix
        self.caches = {}  # channel -> conflation key -> [(seq, bytes)]
        self.deltas = 0
        self.received_bytes = 0
        self.full_bytes = 0

    def keep(self, channel, key, seq, content):
        kept = self.caches.setdefault(channel, {}).setdefault(key or "", [])
        kept.append((seq, content))
        del kept[:-30]

    def receive(self, text):
        """The plain frame text for one received frame, or None for a cache sync."""
        raw = text.encode()
        self.received_bytes += len(raw)
        message = json.loads(text)
        event = message.get("event", "")
        if event == f"{self.prefix}:delta_cache_sync":
            data = json.loads(message["data"])
            self.caches[message["channel"]] = {
                key: [(entry["seq"], entry["content"].encode()) for entry in entries]
                for key, entries in data["states"].items()
            }
            return None
        if event == f"{self.prefix}:delta":
            data = json.loads(message["data"])
            key = data.get("conflation_key") or ""
            cache = dict(self.caches.get(message["channel"], {}).get(key, []))
            if data["base_index"] not in cache:
                raise DeltaError(f"no base {data['base_index']} for key {key!r}")
            delta = base64.b64decode(data["delta"])
            base = cache[data["base_index"]]
            rebuilt = vcdiff_decoder.decode(base, delta) if data["algorithm"] == "xdelta3" else fossil_apply(base, delta)
            self.keep(message["channel"], key, data["seq"], rebuilt)
            self.deltas += 1
            self.full_bytes += len(rebuilt)
            return rebuilt.decode()
        if "__delta_seq" in message:
            plain = METADATA.sub(b"", raw)
            self.keep(message["channel"], message.get("__conflation_key"), message["__delta_seq"], plain)
            self.full_bytes += len(plain)
            return plain.decode()
        self.full_bytes += len(raw)
        return text
