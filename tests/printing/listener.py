"""A network label printer on loopback, for tests that print over raw TCP."""

from __future__ import annotations

import socket
import threading


class PrinterListener:
    """A network label printer on loopback: it takes each job (a TCP connection) to its end,
    then closes its side, as a raw-printing (port 9100) printer does. With ``read=False`` it
    accepts connections and never reads them: a printer that hangs."""

    def __init__(self, read: bool = True) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.connections = 0  # counted when accepted: before the sender can see the job finished
        self.jobs: list[bytes] = []
        self._read = read
        self._held: list[socket.socket] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _address = self._server.accept()
            except OSError:
                return
            self.connections += 1
            if not self._read:
                self._held.append(connection)
                continue
            job = bytearray()
            with connection:
                while chunk := connection.recv(65536):
                    job += chunk
            with self._changed:
                self.jobs.append(bytes(job))
                self._changed.notify_all()

    def wait_for_jobs(self, count: int, timeout: float = 10) -> list[bytes]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.jobs) >= count, timeout), f"{len(self.jobs)} job(s) arrived"
            return list(self.jobs)

    def close(self) -> None:
        self._server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._server.close()
        self._thread.join(timeout=5)
        for connection in self._held:
            connection.close()
