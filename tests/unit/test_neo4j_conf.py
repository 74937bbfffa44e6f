"""The generated neo4j.conf, the JVM command line and the missing-tool errors (no server)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.core.config import Settings, get_settings
from kg.core.errors import ConfigurationError, MissingToolError
from kg.ops import neo4j_conf, neo4j_install, neo4j_server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return get_settings(
        var_dir=tmp_path / "var",
        neo4j_bolt_port=17687,
        neo4j_http_port=17474,
        neo4j_heap="768m",
        neo4j_pagecache="256m",
        maven_repo=tmp_path / "m2",
    )


@pytest.fixture
def no_tools_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH with neither java nor mvn, and no JAVA_HOME."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("JAVA_HOME", raising=False)


def _conf_entries(text: str) -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            entries.setdefault(key, []).append(value)
    return entries


def test_conf_points_every_directory_into_neo4j_home(settings: Settings) -> None:
    path = neo4j_conf.write_conf(settings)
    home = settings.neo4j_home

    assert path == home / "conf" / "neo4j.conf"
    conf = _conf_entries(path.read_text())
    assert conf["server.directories.data"] == [str(home / "data")]
    assert conf["server.directories.logs"] == [str(home / "logs")]
    assert conf["server.directories.run"] == [str(home / "run")]
    for sub in ("data", "logs", "run", "plugins", "import"):
        assert (home / sub).is_dir()


def test_conf_listens_on_localhost_with_configured_ports_memory_and_auth(
    settings: Settings,
) -> None:
    conf = _conf_entries(neo4j_conf.render_conf(settings))

    assert conf["server.bolt.listen_address"] == ["127.0.0.1:17687"]
    assert conf["server.http.listen_address"] == ["127.0.0.1:17474"]
    assert conf["server.bolt.advertised_address"] == ["localhost:17687"]
    assert conf["server.default_listen_address"] == ["127.0.0.1"]
    assert conf["server.https.enabled"] == ["false"]
    assert conf["server.memory.heap.initial_size"] == ["768m"]
    assert conf["server.memory.heap.max_size"] == ["768m"]
    assert conf["server.memory.pagecache.size"] == ["256m"]
    assert conf["dbms.security.auth_enabled"] == ["true"]
    assert conf["server.jvm.additional"] == list(neo4j_conf.OFFICIAL_JVM_FLAGS)


def test_conf_has_no_duplicate_single_valued_keys(settings: Settings) -> None:
    conf = _conf_entries(neo4j_conf.render_conf(settings))

    repeated = {key for key, values in conf.items() if len(values) > 1}
    assert repeated == {"server.jvm.additional"}


def test_malformed_heap_is_a_configuration_error(tmp_path: Path) -> None:
    settings = get_settings(var_dir=tmp_path, neo4j_heap="lots")

    with pytest.raises(ConfigurationError) as caught:
        neo4j_conf.write_conf(settings)
    assert caught.value.setting == "neo4j_heap"


def test_jvm_command_uses_official_flags_heap_and_entry_point(settings: Settings) -> None:
    command = neo4j_conf.jvm_command(settings, "/usr/bin/java", "/a.jar:/b.jar")

    assert command[0] == "/usr/bin/java"
    for flag in (
        "-XX:+UseG1GC",
        "-XX:-OmitStackTraceInFastThrow",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-Dfile.encoding=UTF-8",
        "-Xms768m",
        "-Xmx768m",
    ):
        assert flag in command
    main_at = command.index("org.neo4j.server.CommunityEntryPoint")
    assert command[main_at - 2 : main_at] == ["-cp", "/a.jar:/b.jar"]
    assert command[main_at + 1 :] == [
        f"--home-dir={settings.neo4j_home}",
        f"--config-dir={settings.neo4j_home / 'conf'}",
    ]


@pytest.mark.usefixtures("no_tools_path")
def test_missing_java_names_the_packages_to_install() -> None:
    with pytest.raises(MissingToolError) as caught:
        neo4j_install.find_java()

    assert caught.value.tool == "java"
    assert "apt-get install openjdk-17-jdk-headless maven" in caught.value.message
    assert "docker compose up neo4j" in caught.value.message


@pytest.mark.usefixtures("no_tools_path")
def test_start_without_java_fails_before_touching_anything(settings: Settings) -> None:
    with pytest.raises(MissingToolError, match="openjdk-17-jdk-headless"):
        neo4j_server.start(settings, timeout=1)

    assert not (settings.neo4j_home / "data").exists()


@pytest.mark.usefixtures("no_tools_path")
def test_missing_maven_is_reported_when_the_classpath_must_be_resolved(
    settings: Settings,
) -> None:
    with pytest.raises(MissingToolError) as caught:
        neo4j_install.resolve_classpath(settings)

    assert caught.value.tool == "mvn"
    assert "apt-get install openjdk-17-jdk-headless maven" in caught.value.message


def _seed_classpath_cache(settings: Settings, tmp_path: Path) -> str:
    jar = tmp_path / "fake.jar"
    jar.write_bytes(b"")
    settings.neo4j_home.mkdir(parents=True)
    (settings.neo4j_home / "classpath.txt").write_text(f"{jar}\n")
    key = neo4j_install._classpath_key(settings)
    (settings.neo4j_home / "classpath.key").write_text(key + "\n")
    return str(jar)


@pytest.mark.usefixtures("no_tools_path")
def test_cached_classpath_is_reused_without_maven(settings: Settings, tmp_path: Path) -> None:
    jar = _seed_classpath_cache(settings, tmp_path)

    assert neo4j_install.resolve_classpath(settings) == jar


@pytest.mark.usefixtures("no_tools_path")
def test_cached_classpath_is_dropped_when_its_key_changes(
    settings: Settings, tmp_path: Path
) -> None:
    _seed_classpath_cache(settings, tmp_path)
    (settings.neo4j_home / "classpath.key").write_text("pom-of-another-day\n")

    # Re-resolving needs Maven, which this PATH lacks.
    with pytest.raises(MissingToolError):
        neo4j_install.resolve_classpath(settings)


@pytest.mark.usefixtures("no_tools_path")
def test_cached_classpath_is_dropped_when_a_jar_vanished(
    settings: Settings, tmp_path: Path
) -> None:
    jar = _seed_classpath_cache(settings, tmp_path)
    os.unlink(jar)

    with pytest.raises(MissingToolError):
        neo4j_install.resolve_classpath(settings)


def test_status_without_pid_file_is_not_running(settings: Settings) -> None:
    status = neo4j_server.status(settings)

    assert not status.running
    assert status.pid is None
    assert status.bolt_uri == "bolt://localhost:17687"
    assert status.browser_url == "http://localhost:17474/browser/"


def test_stale_pid_of_another_program_is_not_taken_for_the_server(settings: Settings) -> None:
    pid_file = neo4j_conf.pid_file(settings)
    pid_file.parent.mkdir(parents=True)
    pid_file.write_text(f"{os.getpid()}\n")  # alive, but it is pytest, not Neo4j

    assert not neo4j_server.status(settings).running
    neo4j_server.stop(settings)
    assert not pid_file.exists()


def test_the_default_password_neo4j_is_refused(settings: Settings) -> None:
    weak = get_settings(var_dir=settings.var_dir, neo4j_password="neo4j")

    with pytest.raises(ConfigurationError) as caught:
        neo4j_server.set_initial_password(weak, "/nonexistent/java", "")
    assert caught.value.setting == "neo4j_password"


def test_conf_lets_the_browser_fetch_guides_and_styles_from_this_machine(
    settings: Settings,
) -> None:
    conf = _conf_entries(neo4j_conf.render_conf(settings))

    (hosts,) = conf["browser.remote_content_hostname_whitelist"]
    # Both spellings of this machine (the API's guide links use the request's host), and
    # Neo4j's own guide host, which the default whitelist also allows.
    assert set(hosts.split(",")) == {"localhost", "127.0.0.1", "guides.neo4j.com"}
