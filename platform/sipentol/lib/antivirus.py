"""The one adapter over the virus scanner: clamd's INSTREAM command, over TCP or a Unix socket.

`CLAMD_URL` names the daemon: `tcp://host:3310` or `unix:///run/clamav/clamd.ctl`. Empty means
no scanner is configured, which is treated exactly like a scanner that is down: every scan raises
`ScannerUnavailable`, and the caller keeps the file as "pending" (never shown) until a later scan
passes. Nothing here decides that a file is clean without clamd having said `OK`.

A small client rather than the `clamd` PyPI package: that package's last release is from 2014
and INSTREAM is three lines of protocol (a command, length-prefixed chunks, a zero length).
clamd refuses a stream longer than its `StreamMaxLength` (25 MB by default); that answer is an
error here, so such a file stays pending: keep StreamMaxLength above the largest upload limit.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlparse

from django.conf import settings

from . import storage

CLEAN = "clean"
PENDING = "pending"
INFECTED = "infected"
CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd is not configured, not reachable, too slow, or answered with an error."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""  # clamd's name for what it found, e.g. "Eicar-Signature"


def _connect() -> socket.socket:
    url = settings.CLAMD_URL
    if not url:
        raise ScannerUnavailable("CLAMD_URL is not set")
    parsed = urlparse(url)
    timeout = settings.CLAMD_TIMEOUT_SECONDS
    try:
        if parsed.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(parsed.path)
            return sock
        if parsed.scheme == "tcp" and parsed.hostname and parsed.port:
            return socket.create_connection((parsed.hostname, parsed.port), timeout=timeout)
    except OSError as exc:
        raise ScannerUnavailable(f"clamd at {url} is not reachable: {exc}") from exc
    raise ScannerUnavailable(f"CLAMD_URL {url!r} is neither tcp://host:port nor unix:///path")


def _reply(sock: socket.socket) -> str:
    parts = []
    while True:
        data = sock.recv(4096)
        if not data:
            break
        parts.append(data)
        if data.endswith(b"\0"):
            break
    return b"".join(parts).rstrip(b"\0").decode("utf-8", "replace").strip()


def ping() -> None:
    """Raise ScannerUnavailable unless clamd answers PONG."""
    try:
        with _connect() as sock:
            sock.sendall(b"zPING\0")
            answer = _reply(sock)
    except OSError as exc:
        raise ScannerUnavailable(f"clamd did not answer PING: {exc}") from exc
    if answer != "PONG":
        raise ScannerUnavailable(f"clamd answered {answer!r} to PING")


def scan_chunks(chunks: Iterable[bytes]) -> ScanResult:
    """Stream the bytes to clamd (INSTREAM) and return its verdict; raise ScannerUnavailable."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                if chunk:
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = _reply(sock)
    except OSError as exc:  # refused, reset (clamd cut a too-long stream), timed out
        raise ScannerUnavailable(f"clamd scan failed: {exc}") from exc
    # "stream: OK" | "stream: <signature> FOUND" | "<reason> ERROR"
    if answer.endswith(" FOUND"):
        return ScanResult(infected=True, signature=answer.removeprefix("stream:").removesuffix(" FOUND").strip())
    if answer == "stream: OK":
        return ScanResult(infected=False)
    raise ScannerUnavailable(f"clamd answered {answer!r}")


def _read(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def scan_stream(stream: BinaryIO) -> ScanResult:
    """Scan from the stream's current position to its end."""
    return scan_chunks(_read(stream))


def scan_stored(key: str) -> ScanResult:
    """Scan an object already in storage (own kecamatan's key), e.g. a file kept as pending."""
    return scan_chunks(storage.iter_chunks(key))
