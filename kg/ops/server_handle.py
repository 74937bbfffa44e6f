"""How a command finds the server that owns the stores: ``var/server.json``.

``kg serve`` writes the file when it starts (its URL, its process id and a token made for
this run) and removes it when it stops. The file is created with mode 0600, so only the
same user can read the token; with it, ``kg ingest`` and ``kg feeds`` hand their articles
to the server instead of opening the embedded stores the server holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.core.config import Settings

HANDLE_NAME = "server.json"


@dataclass(frozen=True, slots=True)
class ServerHandle:
    """A running server: where it listens, its process and its local token."""

    url: str
    pid: int
    token: str


def handle_path(settings: Settings) -> Path:
    """Where the running server's handle lives."""
    return settings.var_dir / HANDLE_NAME


def new_token() -> str:
    """A fresh local token for one server run."""
    return secrets.token_urlsafe(32)


def write_handle(settings: Settings, handle: ServerHandle) -> Path:
    """Write the handle atomically, readable by this user only."""
    path = handle_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(asdict(handle), out)
    os.replace(tmp, path)
    return path


def remove_handle(settings: Settings, pid: int | None = None) -> None:
    """Remove the handle (only this process's, when ``pid`` is given)."""
    path = handle_path(settings)
    current = read_handle(settings, check_alive=False)
    if current is not None and pid is not None and current.pid != pid:
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def read_handle(settings: Settings, *, check_alive: bool = True) -> ServerHandle | None:
    """The running server's handle; None when there is none or its process is gone."""
    try:
        data = json.loads(handle_path(settings).read_text(encoding="utf-8"))
        handle = ServerHandle(url=str(data["url"]), pid=int(data["pid"]), token=str(data["token"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if check_alive and not _alive(handle.pid):
        return None
    return handle


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, but not ours to use
        return True
    return True
