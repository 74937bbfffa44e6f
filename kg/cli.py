"""The ``kg`` command: run Neo4j, ingest, extract, export and serve."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.core.config import get_settings
from kg.core.errors import NewsKGError
from kg.core.models import Article
from kg.feeds.cli import feeds_app, watch
from kg.ops.neo4j_cli import neo4j_app

app = typer.Typer(
    help="newskg: news articles to a queryable knowledge graph.", no_args_is_help=True
)
app.add_typer(neo4j_app, name="neo4j", help="Run the bundled Neo4j server.")
app.add_typer(feeds_app, name="feeds", help="Follow RSS/Atom feeds (see also: kg watch).")
app.command()(watch)


class RdfFormat(StrEnum):
    turtle = "turtle"
    n_triples = "n-triples"
    json_ld = "json-ld"


def _fail(exc: NewsKGError) -> typer.Exit:
    typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (.txt, .json, .jsonl, RSS/Atom)")
    ],
    in_process: Annotated[
        bool,
        typer.Option(
            "--in-process",
            help="Open the stores here even when `kg serve` runs (needs a Qdrant server).",
        ),
    ] = False,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="local|auto|ADDRESS",
            help="Prepare on Ray workers, store from here: `local` starts Ray on this "
            "machine, `auto` joins the `ray start` cluster, or a cluster address.",
        ),
    ] = None,
    ray_workers: Annotated[
        int | None,
        typer.Option("--ray-workers", min=1, help="Ray workers (default: one per CPU)."),
    ] = None,
) -> None:
    """Parse, extract and load articles into Neo4j and Qdrant.

    When `kg serve` runs, the articles are streamed to it (it owns the stores); otherwise
    they are ingested in this process. With --ray, parsing, extraction, validation and
    embedding run on Ray and this process writes the stores (see README "Scale-out").
    """
    from kg.ingest.parsing import iter_input_files, iter_path
    from kg.ops.server_handle import read_handle

    def records() -> Iterator[Article | NewsKGError]:
        for path in iter_input_files(paths):
            yield from iter_path(path, settings.max_article_chars)

    settings = get_settings()
    if ray is not None:
        _ingest_on_ray(ray, ray_workers, records())
        return
    handle = None if in_process else read_handle(settings)
    if handle is not None:
        typer.echo(f"a server runs at {handle.url}: ingesting through it", err=True)
        _ingest_through_server(handle.url, handle.token, records())
    else:
        _ingest_in_process(records())


def _ingest_through_server(url: str, token: str, records: Iterable[Article | NewsKGError]) -> None:
    from kg.ingest.server_client import ServerIngest

    local_failures: list[str] = []

    def parsed() -> Iterator[Article]:
        for record in records:
            if isinstance(record, NewsKGError):
                local_failures.append(str(record))
            else:
                yield record

    try:
        report = ServerIngest(url, token).run(parsed(), progress=True)
    except NewsKGError as exc:
        raise _fail(exc) from exc
    _summary(report.stored, report.created, report.passages, report.actions)
    _rejected([*local_failures, *report.errors])
    if local_failures or report.rejected or report.state == "failed":
        raise typer.Exit(code=2)


def _ingest_on_ray(
    address: str, workers: int | None, records: Iterable[Article | NewsKGError]
) -> None:
    # Imported here: kg works without Ray installed.
    from kg.ingest.ray_ingest import RayOptions, ingest_on_ray
    from kg.services import bootstrap, build_services, close

    settings = get_settings()
    local_failures: list[str] = []

    def parsed() -> Iterator[Article]:
        for record in records:
            if isinstance(record, NewsKGError):
                local_failures.append(str(record))
            else:
                yield record

    services = build_services(settings)
    try:
        report, workers_used = ingest_on_ray(
            parsed(),
            settings,
            RayOptions(address=address, workers=workers),
            bootstrap=lambda dimension: bootstrap(services, dimension),
            store_many=services.pipeline.store_many,
            progress=True,
        )
    except NewsKGError as exc:
        raise _fail(exc) from exc
    finally:
        close(services)
    # Which kg the workers imported: a node with a stale install shows up here.
    hosts = {w.host for w in workers_used}
    packages = sorted({str(Path(w.kg_path).parent) for w in workers_used})
    typer.echo(
        f"prepared on {len(workers_used)} Ray worker(s) on {len(hosts)} host(s), "
        f"kg from {', '.join(packages)}",
        err=True,
    )
    _summary(
        len(report.articles),
        sum(1 for a in report.articles if a.created),
        sum(a.passages for a in report.articles),
        sum(a.actions for a in report.articles),
    )
    _rejected([*local_failures, *(f"{f.origin}: {f.error}" for f in report.failures)])
    if local_failures or report.failures:
        raise typer.Exit(code=2)


def _ingest_in_process(records: Iterable[Article | NewsKGError]) -> None:
    """Ingest in this process, streaming: records are read as batches are needed, and
    only counts and failures are kept, so memory stays flat whatever the input's size."""
    from kg.ingest.pipeline import IngestFailure
    from kg.services import bootstrap, build_services, close

    settings = get_settings()
    failures: list[str] = []

    def articles() -> Iterator[Article]:
        for record in records:
            if isinstance(record, NewsKGError):
                failures.append(str(record))
            else:
                yield record

    stored = created = passages = actions = 0
    services = build_services(settings)
    try:
        bootstrap(services)
        for result in services.pipeline.ingest_iter(articles(), progress=True):
            if isinstance(result, IngestFailure):
                failures.append(f"{result.origin}: {result.error}")
                continue
            stored += 1
            created += result.created
            passages += result.passages
            actions += result.actions
    except NewsKGError as exc:
        raise _fail(exc) from exc
    finally:
        close(services)
    _summary(stored, created, passages, actions)
    _rejected(failures)
    if failures:
        raise typer.Exit(code=2)


def _summary(stored: int, created: int, passages: int, actions: int) -> None:
    typer.echo(
        f"ingested {stored} article(s) ({created} new, {stored - created} unchanged ids), "
        f"{passages} passages, {actions} actions"
    )


def _rejected(failures: Iterable[str]) -> None:
    for failure in failures:
        typer.secho(f"rejected: {failure}", err=True, fg=typer.colors.YELLOW)


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="JSONL of {id, text, published?}, or - for stdin")],
) -> None:
    """Extract entities and actions as JSON lines, without loading anything.

    A bad line (not UTF-8, not JSON, a missing field, a text over NEWSKG_MAX_ARTICLE_CHARS)
    is named on stderr and skipped; the exit code is then 2.
    """
    from kg.extraction.extractor import extractor_from_settings
    from kg.extraction.jsonl import extract_records

    settings = get_settings()
    rejected: list[NewsKGError] = []

    def reject(error: NewsKGError) -> None:
        rejected.append(error)
        typer.secho(f"rejected: {error}", err=True, fg=typer.colors.YELLOW)

    with contextlib.ExitStack() as stack:
        try:
            # Binary: lines split on "\n" only and decoded one by one (kg/core/lines.py).
            stream = sys.stdin.buffer if path == "-" else stack.enter_context(open(path, "rb"))
        except OSError as exc:
            typer.secho(f"error: cannot read {path}: {exc.strerror}", err=True, fg="red")
            raise typer.Exit(code=1) from exc
        extractor = extractor_from_settings(settings)
        try:
            for record in extract_records(
                stream,
                extractor,
                source=path if path != "-" else "<stdin>",
                max_chars=settings.max_article_chars,
                on_error=reject,
            ):
                typer.echo(json.dumps(record, ensure_ascii=False))
        except NewsKGError as exc:
            raise _fail(exc) from exc
    if rejected:
        raise typer.Exit(code=2)


@app.command()
def export(
    fmt: Annotated[
        RdfFormat, typer.Option("--format", help="RDF serialisation")
    ] = RdfFormat.turtle,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout)")
    ] = None,
) -> None:
    """Export the whole graph as RDF that validates against the SHACL shapes.

    Streams: the graph is read and written a page of nodes at a time.
    """
    import contextlib
    import sys

    from kg.graph.admin import Neo4jGraphAdmin
    from kg.graph.store import connection_from_settings
    from kg.rdf.export import stream_rdf

    settings = get_settings()
    admin = Neo4jGraphAdmin(connection_from_settings(settings))
    try:
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
            for chunk in stream_rdf(admin, fmt.value, settings.rdf_page_nodes):
                out.write(chunk)
    except NewsKGError as exc:
        raise _fail(exc) from exc
    finally:
        admin.close()


@app.command()
def check(
    repair: Annotated[
        bool, typer.Option("--repair", help="Delete orphan vectors, re-embed missing/outdated")
    ] = False,
    article_id: Annotated[
        list[str] | None, typer.Option("--article-id", help="Only this article (repeatable)")
    ] = None,
    url_prefix: Annotated[
        str | None, typer.Option("--url-prefix", help="Only articles whose URL starts so")
    ] = None,
    in_process: Annotated[
        bool, typer.Option("--in-process", help="Open the stores here even when `kg serve` runs")
    ] = False,
) -> None:
    """Compare the graph with the vectors; exit 1 on any mismatch (after --repair: on any
    left). Asks `kg serve` to do it when it runs."""
    from kg.core.records import CheckScope
    from kg.services import run_check

    scope = CheckScope(article_ids=tuple(article_id or ()), url_prefix=url_prefix)
    try:
        report, where = run_check(get_settings(), scope, repair=repair, in_process=in_process)
    except NewsKGError as exc:
        raise _fail(exc) from exc
    typer.echo(f"checked {where}", err=True)
    for line in report.lines():
        typer.echo(line)
    if report.remaining:
        raise typer.Exit(code=1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Serve the GraphQL and REST API (GraphiQL at /graphql).

    Refuses a non-loopback address while the Neo4j password is the default or no API key
    is set (see kg/core/exposure.py).
    """
    import os

    import uvicorn

    from api.app import create_app
    from kg.core.exposure import check_exposure
    from kg.ops.server_handle import ServerHandle, new_token, remove_handle, write_handle

    settings = get_settings()
    bind_host = host or settings.api_host
    bind_port = port or settings.api_port
    try:
        check_exposure(settings, bind_host)
    except NewsKGError as exc:
        raise _fail(exc) from exc
    typer.echo(f"GraphiQL:      http://localhost:{bind_port}/graphql")
    typer.echo(f"REST search:   http://localhost:{bind_port}/search?q=actions+against+the+ELN")
    typer.echo(f"Neo4j Browser: http://localhost:{settings.neo4j_http_port}/browser/")
    # Local commands (kg ingest, kg feeds) find this server and its token here.
    token = new_token()
    local_host = "127.0.0.1" if bind_host in ("0.0.0.0", "::", "") else bind_host
    handle = ServerHandle(url=f"http://{local_host}:{bind_port}", pid=os.getpid(), token=token)
    write_handle(settings, handle)
    try:
        uvicorn.run(create_app(settings, local_token=token), host=bind_host, port=bind_port)
    finally:
        remove_handle(settings, pid=handle.pid)


@app.command("export-schema")
def export_schema() -> None:
    """Print the GraphQL schema (SDL); CI diffs it with api/schema.graphql."""
    from api.graphql.schema import schema

    typer.echo(schema.as_str())


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app()


if __name__ == "__main__":
    main()
