"""Run a Neo4j 5.26 Community server without Docker, assembled from Maven Central jars.

The jars come from :mod:`kg.ops.neo4j_install`, the configuration from
:mod:`kg.ops.neo4j_conf`; this module runs the process, the way the official ``neo4j``
script does: ``java <flags> -cp <classpath> org.neo4j.server.CommunityEntryPoint``, with
the JVM flags of the default ``neo4j.conf``. Everything mutable (conf, data, logs, pid
file) lives in ``var/neo4j``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError

from kg.core.config import Settings
from kg.core.errors import ConfigurationError, ServiceUnavailableError
from kg.ops.neo4j_conf import (
    SERVER_MAIN_CLASS,
    bolt_uri,
    conf_dir,
    data_dir,
    http_url,
    jvm_command,
    logs_dir,
    pid_file,
    write_conf,
)
from kg.ops.neo4j_install import find_java, resolve_classpath

# In-process admin tool; the `neo4j-admin` launcher class (Neo4jAdminCommand) would fork
# another JVM with a classpath built from NEO4J_HOME/lib, which this layout does not have.
ADMIN_MAIN_CLASS = "org.neo4j.cli.AdminTool"
AUTH_REFUSED = "Bolt refused the configured credentials"
# The server's only Cypher, kept here rather than in kg.graph.cypher: importing that module
# builds the ontology's statements (rdflib, pyshacl), which would add about 0.2 s to every
# `kg neo4j status`.
KERNEL_VERSION_QUERY = (
    "CALL dbms.components() YIELD name, versions, edition "
    "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition"
)

# Popen objects of servers launched by this process, kept so they are reaped (no zombie
# that would look alive) and so Python does not warn about a still-running child.
_LAUNCHED: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class ServerStatus:
    """What is known about the managed Neo4j server.

    Attributes:
        running: The server process recorded in the pid file is alive.
        pid: Its process id, if alive.
        bolt_uri: Where Bolt listens (``bolt://localhost:<port>``).
        http_url: Where the HTTP connector listens; the Browser is under ``browser/``.
        version: The Neo4j version, if Bolt answered with the configured credentials.
        edition: The edition (``community``), if Bolt answered.
        detail: Why Bolt did not answer, when it did not.
    """

    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str
    version: str | None = None
    edition: str | None = None
    detail: str | None = None

    @property
    def answering(self) -> bool:
        """Bolt accepted the configured credentials."""
        return self.version is not None

    @property
    def browser_url(self) -> str:
        """URL of Neo4j Browser."""
        return f"{self.http_url}browser/"


# --- process helpers -------------------------------------------------------------------


def _read_pid(settings: Settings) -> int | None:
    try:
        return int(pid_file(settings).read_text().strip())
    except (OSError, ValueError):
        return None


def _is_server_process(pid: int, settings: Settings) -> bool:
    launched = _LAUNCHED.get(pid)
    if launched is not None and launched.poll() is not None:
        del _LAUNCHED[pid]
        return False
    proc = Path("/proc") / str(pid)
    if proc.is_dir():
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            return False
        # A recycled pid, a zombie or a server of another home is not our server.
        home_arg = f"--home-dir={settings.neo4j_home}".encode()
        return state != "Z" and SERVER_MAIN_CLASS.encode() in cmdline and home_arg in cmdline
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _live_pid(settings: Settings) -> int | None:
    pid = _read_pid(settings)
    return pid if pid is not None and _is_server_process(pid, settings) else None


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def log_tail(settings: Settings, lines: int = 30) -> str:
    """The last lines of the JVM's console output and of ``neo4j.log``, for error messages."""
    parts = []
    for name in ("console.log", "neo4j.log"):
        tail = _tail(logs_dir(settings) / name, lines)
        if tail:
            parts.append(f"--- {logs_dir(settings) / name} ---\n{tail}")
    return "\n".join(parts) or "(no log output)"


def _probe_bolt(settings: Settings) -> tuple[str, str]:
    """Return (version, edition); raises AuthError or DriverError/Neo4jError."""
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    # A plain session, not execute_query: its retries would hide "not up yet" for seconds.
    with (
        GraphDatabase.driver(bolt_uri(settings), auth=auth, connection_timeout=5.0) as driver,
        driver.session() as session,
    ):
        records = session.run(KERNEL_VERSION_QUERY).data()
    if not records:
        return "unknown", "unknown"
    return str(records[0]["version"]), str(records[0]["edition"])


def _wrong_password_error(settings: Settings) -> ConfigurationError:
    return ConfigurationError(
        f"Neo4j at {bolt_uri(settings)} refused user {settings.neo4j_user!r} with the "
        "configured password (NEWSKG_NEO4J_PASSWORD). The initial password is fixed when the "
        "store is first created, so the setting was probably changed afterwards: use the old "
        f"password, or stop the server and delete {data_dir(settings)} to start from an empty "
        "store with the new one.",
        setting="neo4j_password",
    )


# --- public API ------------------------------------------------------------------------


def status(settings: Settings) -> ServerStatus:
    """Report whether the managed server runs and answers on Bolt.

    Args:
        settings: Uses ``neo4j_home``, the ports and the credentials.

    Returns:
        The status; ``version`` is set only if Bolt accepted the configured credentials.
    """
    pid = _live_pid(settings)
    base = {"bolt_uri": bolt_uri(settings), "http_url": http_url(settings)}
    if pid is None:
        return ServerStatus(running=False, pid=None, **base)
    try:
        version, edition = _probe_bolt(settings)
    except AuthError:
        return ServerStatus(running=True, pid=pid, detail=AUTH_REFUSED, **base)
    except (DriverError, Neo4jError, OSError) as exc:
        return ServerStatus(running=True, pid=pid, detail=f"Bolt not answering: {exc}", **base)
    return ServerStatus(running=True, pid=pid, version=version, edition=edition, **base)


def set_initial_password(settings: Settings, java: str, classpath: str) -> None:
    """Set the password of user ``neo4j`` in a store that was never started.

    Runs ``neo4j-admin dbms set-initial-password`` (class :data:`ADMIN_MAIN_CLASS`) on the
    server's classpath; it writes ``data/dbms/auth.ini``, which the first start imports.

    Raises:
        ConfigurationError: The password is refused (too short, or the default ``neo4j``).
    """
    password = settings.neo4j_password.get_secret_value()
    if password == "neo4j":
        raise ConfigurationError(
            "the Neo4j password must not be the default 'neo4j'", setting="neo4j_password"
        )
    env = {
        **os.environ,
        "NEO4J_HOME": str(settings.neo4j_home),
        "NEO4J_CONF": str(conf_dir(settings)),
    }
    command = [java, "-Xmx256m", "-Dfile.encoding=UTF-8", "-cp", classpath, ADMIN_MAIN_CLASS]
    command += ["dbms", "set-initial-password", password]
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).replace(password, "***").strip()
        raise ConfigurationError(
            f"neo4j-admin dbms set-initial-password failed (exit {result.returncode}): {output}",
            setting="neo4j_password",
        )


def start(settings: Settings, *, timeout: float = 120) -> ServerStatus:
    """Start the managed Neo4j server, or return the status of the one already running.

    On the very first start the password of ``neo4j`` is set to ``settings.neo4j_password``
    before the store is created, so the default ``neo4j/neo4j`` never works.

    Args:
        settings: newskg's settings.
        timeout: Seconds to wait for Bolt to accept the configured credentials.

    Returns:
        The status of the answering server.

    Raises:
        MissingToolError: Java 17+ or Maven is missing.
        ConfigurationError: Bad memory size, or the password does not open the existing store.
        ServiceUnavailableError: The server did not come up; the message has the log tail.
    """
    current = status(settings)
    if current.answering:
        return current
    if current.detail == AUTH_REFUSED:
        # Probing again would only count one more failed login against the user.
        raise _wrong_password_error(settings)
    if current.running:
        # Launched earlier and still starting: wait for it rather than start a second one.
        return _wait_until_answering(settings, current.pid, time.monotonic() + timeout)
    pid_file(settings).unlink(missing_ok=True)

    java = find_java()
    classpath = resolve_classpath(settings)
    write_conf(settings)
    for port in (settings.neo4j_bolt_port, settings.neo4j_http_port):
        if _port_open(port):
            raise ServiceUnavailableError(
                "Neo4j",
                f"port {port} is already in use by another process (a Docker neo4j?); stop it "
                "or choose other ports (NEWSKG_NEO4J_BOLT_PORT, NEWSKG_NEO4J_HTTP_PORT)",
            )
    if not (data_dir(settings) / "databases" / "system").exists():
        set_initial_password(settings, java, classpath)

    console = logs_dir(settings) / "console.log"
    with console.open("ab") as out:
        proc = subprocess.Popen(
            jvm_command(settings, java, classpath),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=settings.neo4j_home,
            env={**os.environ, "NEO4J_HOME": str(settings.neo4j_home)},
            start_new_session=True,  # survives the CLI and its terminal
        )
    _LAUNCHED[proc.pid] = proc
    pid_file(settings).write_text(f"{proc.pid}\n")
    return _wait_until_answering(settings, proc.pid, time.monotonic() + timeout)


def _wait_until_answering(settings: Settings, pid: int | None, deadline: float) -> ServerStatus:
    last_error = "no answer yet"
    while True:
        if pid is None or not _is_server_process(pid, settings):
            pid_file(settings).unlink(missing_ok=True)
            raise ServiceUnavailableError(
                "Neo4j", f"the server process exited during startup.\n{log_tail(settings)}"
            )
        try:
            version, edition = _probe_bolt(settings)
        except AuthError as exc:
            raise _wrong_password_error(settings) from exc
        except (DriverError, Neo4jError, OSError) as exc:
            last_error = str(exc)
        else:
            return ServerStatus(
                running=True,
                pid=pid,
                bolt_uri=bolt_uri(settings),
                http_url=http_url(settings),
                version=version,
                edition=edition,
            )
        if time.monotonic() >= deadline:
            raise ServiceUnavailableError(
                "Neo4j",
                f"Bolt at {bolt_uri(settings)} did not answer in time ({last_error}); the "
                f"server (pid {pid}) is left running.\n{log_tail(settings)}",
            )
        time.sleep(0.5)


def stop(settings: Settings, *, timeout: float = 60) -> ServerStatus:
    """Stop the managed server: SIGTERM, then SIGKILL if it outlives ``timeout`` seconds.

    Args:
        settings: Uses ``neo4j_home``.
        timeout: Seconds to wait for a clean shutdown (which checkpoints the stores).

    Returns:
        The status afterwards (not running).
    """
    pid = _live_pid(settings)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        if not _wait_for_exit(pid, settings, time.monotonic() + timeout):
            os.kill(pid, signal.SIGKILL)
            _wait_for_exit(pid, settings, time.monotonic() + 10)
    pid_file(settings).unlink(missing_ok=True)
    return ServerStatus(
        running=False, pid=None, bolt_uri=bolt_uri(settings), http_url=http_url(settings)
    )


def _wait_for_exit(pid: int, settings: Settings, deadline: float) -> bool:
    while _is_server_process(pid, settings):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True
