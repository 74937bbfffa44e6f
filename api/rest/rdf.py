"""``GET /rdf``: the whole graph as RDF (Turtle, N-Triples or JSON-LD), streamed.

The graph is read a page of nodes at a time (``NEWSKG_RDF_PAGE_NODES``) and each page is
sent as it is serialised (chunked transfer), so the server holds one page, not the graph.
The first page is read before the response starts, so a store that is down is a 503 with
the error body; a failure after that cuts the stream (the client sees it incomplete) and
is logged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from api.dependencies import get_services, require_read_key
from kg.rdf.export import stream_rdf
from kg.services import Services

router = APIRouter(tags=["rdf"])

RdfFormat = Literal["turtle", "n-triples", "json-ld"]
MEDIA_TYPES: dict[str, str] = {
    "turtle": "text/turtle; charset=utf-8",
    "n-triples": "application/n-triples",
    "json-ld": "application/ld+json",
}
_EXTENSIONS = {"turtle": "ttl", "n-triples": "nt", "json-ld": "jsonld"}


@router.get(
    "/rdf",
    summary="Export the graph as RDF",
    response_class=StreamingResponse,
    dependencies=[Depends(require_read_key)],
    responses={
        200: {
            "description": "The graph, serialised in the requested format, streamed in pages.",
            "content": {
                "text/turtle": {"example": "@prefix nk: <https://w3id.org/newskg/ontology#> ."},
                "application/n-triples": {"example": "<https://w3id.org/newskg/...> ..."},
                "application/ld+json": {"example": {"@graph": []}},
            },
        }
    },
)
def rdf(
    services: Annotated[Services, Depends(get_services)],
    format: Annotated[  # noqa: A002 - the public parameter name
        RdfFormat, Query(description="Serialisation: `turtle`, `n-triples` or `json-ld`.")
    ] = "turtle",
) -> StreamingResponse:
    """Stream every node and relationship of the graph as RDF."""
    chunks = stream_rdf(services.admin, format, services.settings.rdf_page_nodes)
    first = next(chunks, "")  # reads the first page now: an outage is still a clean 503
    return StreamingResponse(
        _encoded(first, chunks),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'inline; filename="newskg.{_EXTENSIONS[format]}"'},
    )


def _encoded(first: str, rest: Iterator[str]) -> Iterator[bytes]:
    yield first.encode("utf-8")
    for chunk in rest:
        yield chunk.encode("utf-8")
