"""A server that accepts connections and never answers: what a hung SMTP server, API or TSA looks like."""

from __future__ import annotations

import socket
import threading


class SilentServer:
    """Listens on a free local port, accepts every connection, reads nothing and writes nothing."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self._listener.accept()
            except OSError:
                return  # closed
            self.accepted += 1
            self._held.append(conn)  # kept open, never answered

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._listener.close()
        for conn in self._held:
            conn.close()
