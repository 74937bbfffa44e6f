"""The Maven-assembled Neo4j server: started if needed, and left running for the other tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError

from kg.core.config import Settings, get_settings
from kg.core.errors import ConfigurationError
from kg.ops import neo4j_conf, neo4j_server

pytestmark = pytest.mark.integration


@pytest.fixture
def driver(settings: Settings, server: neo4j_server.ServerStatus) -> Iterator[Driver]:
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver(server.bolt_uri, auth=auth) as driver:
        yield driver


def _log_in_successfully(driver: Driver) -> None:
    # A good login resets the user's failed-attempt counter, so the refusals these tests
    # provoke never lock `neo4j` out for the other tests using the server.
    driver.verify_connectivity()


def test_start_reports_a_running_answering_server(
    settings: Settings, server: neo4j_server.ServerStatus
) -> None:
    assert server.running
    assert server.answering
    assert server.pid is not None
    assert neo4j_conf.pid_file(settings).read_text().strip() == str(server.pid)


def test_start_again_returns_the_same_server(
    settings: Settings, server: neo4j_server.ServerStatus
) -> None:
    again = neo4j_server.start(settings)

    assert again.pid == server.pid


def test_bolt_answers_with_the_configured_password(driver: Driver) -> None:
    records, _, _ = driver.execute_query("RETURN 1 AS one")

    assert records[0]["one"] == 1


def test_default_credentials_are_refused(server: neo4j_server.ServerStatus, driver: Driver) -> None:
    with (
        GraphDatabase.driver(server.bolt_uri, auth=("neo4j", "neo4j")) as default,
        pytest.raises(AuthError),
    ):
        default.verify_connectivity()
    _log_in_successfully(driver)


def test_components_report_neo4j_5_26_community(driver: Driver) -> None:
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
    )
    kernel = next(r for r in records if r["name"] == "Neo4j Kernel")

    assert kernel["versions"][0].startswith("5.26.")
    assert kernel["edition"] == "community"


def test_status_matches_the_server(settings: Settings, server: neo4j_server.ServerStatus) -> None:
    current = neo4j_server.status(settings)

    assert current.running
    assert current.pid == server.pid
    assert current.version is not None and current.version.startswith("5.26.")
    assert current.edition == "community"


def test_http_serves_the_browser(server: neo4j_server.ServerStatus) -> None:
    response = httpx.get(server.browser_url, timeout=30)

    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "<title>Neo4j Browser</title>" in response.text


def test_http_discovery_advertises_the_configured_bolt_port(
    settings: Settings, server: neo4j_server.ServerStatus
) -> None:
    discovery = httpx.get(server.http_url, headers={"Accept": "application/json"}).json()

    assert discovery["bolt_direct"] == f"bolt://localhost:{settings.neo4j_bolt_port}"
    assert discovery["neo4j_edition"] == "community"


def test_a_changed_password_is_reported_as_such(
    settings: Settings, server: neo4j_server.ServerStatus, driver: Driver
) -> None:
    changed = get_settings(neo4j_password="not-the-password-of-this-store")

    with pytest.raises(ConfigurationError) as caught:
        neo4j_server.start(changed, timeout=30)
    _log_in_successfully(driver)

    assert caught.value.setting == "neo4j_password"
    assert str(settings.neo4j_home / "data") in caught.value.message
    # The server that refused the password is still the one running.
    assert neo4j_server.status(settings).pid == server.pid


def test_kg_neo4j_start_warns_about_the_default_password_for_real(
    settings: Settings, server: neo4j_server.ServerStatus, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real command against the real (running) server, not a patched start: it answers
    # with the server's status and the warning while the password is the published default.
    from typer.testing import CliRunner

    from kg.core.config import DEFAULT_NEO4J_PASSWORD
    from kg.ops import neo4j_cli

    if settings.neo4j_password.get_secret_value() != DEFAULT_NEO4J_PASSWORD:
        pytest.skip("this server runs with a password of its own")
    monkeypatch.delenv("NEWSKG_NEO4J_PASSWORD", raising=False)
    result = CliRunner().invoke(neo4j_cli.neo4j_app, ["start"])
    assert result.exit_code == 0, result.output
    assert "published default" in result.stderr
    assert server.bolt_uri in result.output or "Bolt" in result.output
