"""PNG files built row by row, so a test can make a 40-megapixel image without holding it."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def uniform_png(width: int, height: int, seed: int = 0) -> bytes:
    """A mostly one-colour RGBA PNG with one stripe per ~1000 rows: 6320 x 6320 is ~170 KB.

    Small on the wire, 160 MB once decoded: the image that took the server from 266 to 883 MB.
    """
    z = zlib.compressobj(9)
    plain = b"\x00" + bytes((90, 140, 60, 255)) * width  # filter byte, then the pixels
    stripe = b"\x00" + bytes(((seed * 37) % 256, 20, 200, 128)) * width
    body = [z.compress(stripe if y % 997 == seed % 997 else plain) for y in range(height)]
    body.append(z.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(body))
            + _chunk(b"IEND", b""))
