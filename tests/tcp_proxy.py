"""A loopback TCP proxy that a test can cut and restore, to play a store outage.

The shared Neo4j server must keep running for everyone else; a test points its app at
this proxy instead, and :meth:`TcpProxy.cut` makes Neo4j look down to that app only
(open connections are reset and the port is closed, so the kernel refuses new ones, like
a server that died), :meth:`TcpProxy.restore` listens on the same port again.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


class TcpProxy:
    """Forward ``127.0.0.1:<port>`` to ``target``, one pair of threads per connection.

    Args:
        target_host: Where to forward (e.g. ``localhost``).
        target_port: The target's port (e.g. 7687).
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._closed = False
        self._thread = threading.Thread(target=self._accept, args=(self._listener,), daemon=True)

    @property
    def url(self) -> str:
        """The Bolt URL of the proxy."""
        return f"bolt://127.0.0.1:{self.port}"

    def start(self) -> TcpProxy:
        """Start accepting connections."""
        self._thread.start()
        return self

    def cut(self) -> None:
        """Reset every open connection and close the port until :meth:`restore`."""
        with self._lock:
            if self._cut:
                return
            self._cut = True
            sockets, self._open = self._open, set()
            self._listener.close()
        for sock in sockets:
            _reset(sock)

    def restore(self) -> None:
        """Listen on the same port and forward new connections again."""
        with self._lock:
            if not self._cut or self._closed:
                return
            self._listener = socket.create_server(("127.0.0.1", self.port))
            self._cut = False
            listener = self._listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        """Stop the proxy and drop every connection."""
        self.cut()
        self._closed = True

    def _accept(self, listener: socket.socket) -> None:
        while not self._closed:
            try:
                client, _ = listener.accept()
            except OSError:  # the listener was closed
                return
            with self._lock:
                cut = self._cut
            if cut:
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self._target, timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(src, dst), daemon=True).start()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        _reset(src)
        _reset(dst)


def _reset(sock: socket.socket) -> None:
    # SO_LINGER 0: close with a reset, as a dead server's port would answer.
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    with contextlib.suppress(OSError):
        sock.close()


@contextlib.contextmanager
def tcp_proxy(target_host: str, target_port: int) -> Iterator[TcpProxy]:
    """A started proxy, closed when the block ends."""
    proxy = TcpProxy(target_host, target_port).start()
    try:
        yield proxy
    finally:
        proxy.close()
