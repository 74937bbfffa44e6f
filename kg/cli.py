"""The ``kg`` command: run Neo4j, ingest, extract, export and serve."""

from __future__ import annotations

import contextlib
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.core.config import get_settings
from kg.core.errors import NewsKGError
from kg.ops.neo4j_cli import neo4j_app

app = typer.Typer(
    help="newskg: news articles to a queryable knowledge graph.", no_args_is_help=True
)
app.add_typer(neo4j_app, name="neo4j", help="Run the bundled Neo4j server.")


class RdfFormat(StrEnum):
    turtle = "turtle"
    json_ld = "json-ld"


def _fail(exc: NewsKGError) -> typer.Exit:
    typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (.txt, .json, .jsonl, RSS/Atom)")
    ],
) -> None:
    """Parse, extract and load articles into Neo4j and Qdrant."""
    from kg.ingest.parsing import iter_input_files, read_path
    from kg.services import bootstrap, build_services, close

    articles = []
    failures = []
    for path in iter_input_files(paths):
        for record in read_path(path):
            if isinstance(record, NewsKGError):
                failures.append(str(record))
            else:
                articles.append(record)
    services = build_services(get_settings())
    try:
        bootstrap(services)
        report = services.pipeline.ingest(articles, progress=True)
    except NewsKGError as exc:
        raise _fail(exc) from exc
    finally:
        close(services)
    created = sum(1 for a in report.articles if a.created)
    typer.echo(
        f"ingested {len(report.articles)} article(s) ({created} new, "
        f"{len(report.articles) - created} unchanged ids), "
        f"{sum(a.passages for a in report.articles)} passages, "
        f"{sum(a.actions for a in report.articles)} actions"
    )
    for failure in [*failures, *(f"{f.origin}: {f.error}" for f in report.failures)]:
        typer.secho(f"rejected: {failure}", err=True, fg=typer.colors.YELLOW)
    if failures or report.failures:
        raise typer.Exit(code=2)


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="JSONL of {id, text, published?}, or - for stdin")],
) -> None:
    """Extract entities and actions as JSON lines, without loading anything."""
    from kg.extraction.extractor import extractor_from_settings
    from kg.extraction.records import extract_records

    extractor = extractor_from_settings(get_settings())
    with contextlib.ExitStack() as stack:
        stream = (
            sys.stdin if path == "-" else stack.enter_context(Path(path).open(encoding="utf-8"))
        )
        try:
            for record in extract_records(
                stream, extractor, source=path if path != "-" else "<stdin>"
            ):
                typer.echo(json.dumps(record, ensure_ascii=False))
        except NewsKGError as exc:
            raise _fail(exc) from exc


@app.command()
def export(
    fmt: Annotated[
        RdfFormat, typer.Option("--format", help="RDF serialisation")
    ] = RdfFormat.turtle,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout)")
    ] = None,
) -> None:
    """Export the whole graph as RDF that validates against the SHACL shapes."""
    from kg.graph.store import graph_store_from_settings
    from kg.rdf.export import export_graph

    store = graph_store_from_settings(get_settings())
    try:
        text = export_graph(store, fmt.value)
    except NewsKGError as exc:
        raise _fail(exc) from exc
    finally:
        store.close()
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Serve the GraphQL and REST API (GraphiQL at /graphql)."""
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    bind_host = host or settings.api_host
    bind_port = port or settings.api_port
    typer.echo(f"GraphiQL:      http://localhost:{bind_port}/graphql")
    typer.echo(f"REST search:   http://localhost:{bind_port}/search?q=actions+against+the+ELN")
    typer.echo(f"Neo4j Browser: http://localhost:{settings.neo4j_http_port}/browser/")
    uvicorn.run(create_app(settings), host=bind_host, port=bind_port)


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
