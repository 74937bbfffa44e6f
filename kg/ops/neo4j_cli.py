"""``kg neo4j start|stop|status``: manage the Maven-assembled Neo4j server (no Docker)."""

from __future__ import annotations

import typer

from kg.core.config import get_settings
from kg.core.errors import NewsKGError
from kg.ops import neo4j_server

neo4j_app = typer.Typer(
    name="neo4j",
    help="Run Neo4j 5.26 Community from Maven Central jars (data in var/neo4j).",
    no_args_is_help=True,
)


def _print_status(status: neo4j_server.ServerStatus) -> None:
    if not status.running:
        typer.echo("Neo4j: not running")
        return
    state = f"{status.edition} {status.version}" if status.answering else "not answering"
    typer.echo(f"Neo4j: running (pid {status.pid}), {state}")
    if status.detail:
        typer.echo(f"  {status.detail}")
    typer.echo(f"  Bolt:    {status.bolt_uri}")
    typer.echo(f"  Browser: {status.browser_url}")


def _fail(error: NewsKGError) -> typer.Exit:
    typer.echo(f"error: {error.message}", err=True)
    return typer.Exit(code=1)


@neo4j_app.command()
def start(
    timeout: float = typer.Option(120.0, help="Seconds to wait for Bolt to answer."),
) -> None:
    """Start the server (resolving its jars with Maven on first use) and wait for Bolt."""
    settings = get_settings()
    if settings.uses_default_neo4j_password:
        # Loopback only, but any local user or process then has full Cypher access.
        typer.echo(
            "warning: the Neo4j password is the published default; anyone who can reach "
            "this machine's Bolt port has full access. Set NEWSKG_NEO4J_PASSWORD (before the "
            "first start: the password is set then).",
            err=True,
        )
    try:
        status = neo4j_server.start(settings, timeout=timeout)
    except NewsKGError as error:
        raise _fail(error) from error
    _print_status(status)
    typer.echo(f"  User:    {settings.neo4j_user} (password from NEWSKG_NEO4J_PASSWORD)")


@neo4j_app.command()
def stop(
    timeout: float = typer.Option(60.0, help="Seconds to wait before SIGKILL."),
) -> None:
    """Stop the server."""
    try:
        neo4j_server.stop(get_settings(), timeout=timeout)
    except NewsKGError as error:
        raise _fail(error) from error
    typer.echo("Neo4j: stopped")


@neo4j_app.command()
def status() -> None:
    """Show whether the server runs and answers on Bolt; exit 1 if it does not answer."""
    current = neo4j_server.status(get_settings())
    _print_status(current)
    if not current.answering:
        raise typer.Exit(code=1)
