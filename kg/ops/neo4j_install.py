"""Installing the Neo4j server: Java and Maven found, the jars resolved from Maven Central.

``neo4j-server/pom.xml`` names the server and the Browser; Maven resolves them into the local
Maven repository (outside the work tree) and prints the runtime classpath, which is cached
under ``settings.neo4j_home`` and keyed by the pom, so later starts skip Maven.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from kg.core.config import PROJECT_ROOT, Settings
from kg.core.errors import MissingToolError, ServiceUnavailableError

POM_PATH = PROJECT_ROOT / "neo4j-server" / "pom.xml"
INSTALL_HINT = (
    "install OpenJDK 17 and Maven (apt-get install openjdk-17-jdk-headless maven), "
    "or run `docker compose up neo4j`"
)
MIN_JAVA_MAJOR = 17
_DEFAULT_MAVEN_REPO = Path.home() / ".m2" / "repository"


def _classpath_file(settings: Settings) -> Path:
    return settings.neo4j_home / "classpath.txt"


def _classpath_key_file(settings: Settings) -> Path:
    return settings.neo4j_home / "classpath.key"


# --- tools -----------------------------------------------------------------------------


def find_java() -> str:
    """Locate a ``java`` executable of version 17 or newer.

    ``JAVA_HOME`` wins over ``PATH``, as with the official launcher.

    Raises:
        MissingToolError: No java, or one older than 17.
    """
    java_home = os.environ.get("JAVA_HOME")
    candidate = Path(java_home) / "bin" / "java" if java_home else None
    java = str(candidate) if candidate and candidate.is_file() else shutil.which("java")
    if java is None:
        raise MissingToolError("java", INSTALL_HINT)
    try:
        probe = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as exc:
        raise MissingToolError("java", f"{java} cannot run ({exc}); {INSTALL_HINT}") from exc
    # `java -version` prints e.g. `openjdk version "17.0.15" 2025-04-15` on stderr.
    match = re.search(r'version "(\d+)(?:\.(\d+))?', probe.stderr)
    if match is not None:
        major = int(match.group(1))
        if major == 1 and match.group(2):  # 1.8 style
            major = int(match.group(2))
        if major < MIN_JAVA_MAJOR:
            raise MissingToolError(
                f"Java {MIN_JAVA_MAJOR}+", f"{java} is Java {major}; {INSTALL_HINT}"
            )
    return java


def find_maven() -> str:
    """Locate ``mvn``.

    Raises:
        MissingToolError: Maven is not on ``PATH``.
    """
    mvn = shutil.which("mvn")
    if mvn is None:
        raise MissingToolError("mvn", INSTALL_HINT)
    return mvn


# --- classpath -------------------------------------------------------------------------


def _classpath_key(settings: Settings) -> str:
    digest = hashlib.sha256(POM_PATH.read_bytes())
    digest.update(str(settings.maven_repo).encode())
    return digest.hexdigest()


def _cached_classpath(settings: Settings) -> str | None:
    cp_file, key_file = _classpath_file(settings), _classpath_key_file(settings)
    if not (cp_file.is_file() and key_file.is_file()):
        return None
    if key_file.read_text().strip() != _classpath_key(settings):
        return None
    classpath = cp_file.read_text().strip()
    # A cleaned Maven repository invalidates the cache as surely as an edited pom.
    if not classpath or not all(Path(jar).is_file() for jar in classpath.split(os.pathsep)):
        return None
    return classpath


def resolve_classpath(settings: Settings) -> str:
    """Return the server's runtime classpath, running Maven only when needed.

    The classpath is cached in ``<neo4j_home>/classpath.txt`` with a key made of the pom's
    hash and the Maven repository path, so an edited pom re-resolves.

    Args:
        settings: Uses ``neo4j_home`` and ``maven_repo``.

    Returns:
        The ``:``-separated list of jar paths inside the Maven repository.

    Raises:
        MissingToolError: Maven is not installed.
        ServiceUnavailableError: Maven failed (typically: Maven Central unreachable).
    """
    cached = _cached_classpath(settings)
    if cached is not None:
        return cached
    mvn = find_maven()
    settings.neo4j_home.mkdir(parents=True, exist_ok=True)
    out_file = settings.neo4j_home / "classpath.txt.tmp"
    command = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(POM_PATH),
        "dependency:build-classpath",
        f"-Dmdep.outputFile={out_file}",
    ]
    if settings.maven_repo.resolve() != _DEFAULT_MAVEN_REPO.resolve():
        command.append(f"-Dmaven.repo.local={settings.maven_repo}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if result.returncode != 0 or not out_file.is_file():
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
        raise ServiceUnavailableError(
            "Maven", f"resolving {POM_PATH} failed (exit {result.returncode}):\n{tail}"
        )
    classpath = out_file.read_text().strip()
    out_file.unlink()
    _classpath_file(settings).write_text(classpath + "\n")
    _classpath_key_file(settings).write_text(_classpath_key(settings) + "\n")
    return classpath
