"""Multipart uploads whose part headers are not UTF-8 (an old phone's latin-1 file name).

Django decodes each part's header line as UTF-8 and, when that fails, skips the header: the
file part is then dropped without a word (a big one makes the whole body unreadable, 400), and
the citizen reads "this field is required" about the file they chose. The file name is never
used for storage keys, so nothing is gained by refusing it.

`RepairPartHeadersHandler` (first in FILE_UPLOAD_HANDLERS) wraps the request's input stream
before Django's parser reads it: inside each part's header block (from a boundary line to the
blank line), a line that is not valid UTF-8 is read as latin-1 and re-encoded as UTF-8. File
contents pass through untouched, one chunk at a time.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler

MAX_HEADER_BLOCK = 16 * 1024  # longer than any sane part header: pass it through as it is


def _repair(header: bytes) -> bytes:
    try:
        header.decode("utf-8")
        return header
    except UnicodeDecodeError:
        pass
    lines = []
    for line in header.split(b"\r\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            line = line.decode("latin-1").encode("utf-8")
        lines.append(line)
    return b"\r\n".join(lines)


class HeaderRepairingStream:
    """A reader over `raw` that gives back the same bytes, part headers repaired as above."""

    def __init__(self, raw, boundary: bytes):
        self.raw = raw
        self.delimiter = b"--" + (boundary.encode("ascii") if isinstance(boundary, str) else boundary)
        self.pending = b""
        self.ready = bytearray()
        self.in_header = False
        self.eof = False

    def _step(self) -> bool:
        """Move what can be decided from `pending` to `ready`; False when more input is needed."""
        if self.in_header:
            end = self.pending.find(b"\r\n\r\n")
            if end >= 0:
                self.ready += _repair(self.pending[: end + 4])
                self.pending = self.pending[end + 4 :]
                self.in_header = False
                return True
            if len(self.pending) > MAX_HEADER_BLOCK or self.eof:
                self.ready += self.pending
                self.pending = b""
                self.in_header = False
            return False
        found = self.pending.find(self.delimiter)
        if found >= 0:
            cut = found + len(self.delimiter)
            self.ready += self.pending[:cut]
            self.pending = self.pending[cut:]
            self.in_header = True
            return True
        keep = 0 if self.eof else len(self.delimiter) - 1  # a delimiter may straddle two chunks
        if len(self.pending) > keep:
            self.ready += self.pending[: len(self.pending) - keep]
            self.pending = self.pending[len(self.pending) - keep :]
        return False

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self.ready) < size) and not (self.eof and not self.pending):
            if not self._step():
                if self.eof:
                    continue
                chunk = self.raw.read(64 * 1024)
                if chunk:
                    self.pending += chunk
                else:
                    self.eof = True
        if size < 0:
            size = len(self.ready)
        out = bytes(self.ready[:size])
        del self.ready[:size]
        return out

    def readline(self, size: int = -1) -> bytes:
        line = bytearray()
        while size < 0 or len(line) < size:
            byte = self.read(1)
            line += byte
            if not byte or byte == b"\n":
                break
        return bytes(line)


class RepairPartHeadersHandler(FileUploadHandler):
    """Wraps the request body in HeaderRepairingStream; stores nothing itself."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        stream = getattr(input_data, "_stream", None)  # HttpRequest.read() reads this
        if stream is not None and boundary:
            input_data._stream = HeaderRepairingStream(stream, boundary)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
