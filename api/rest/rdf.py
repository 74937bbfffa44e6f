"""``GET /rdf``: the whole graph as RDF (Turtle or JSON-LD), typed by the newskg ontology."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.dependencies import get_services, require_read_key
from kg.rdf.export import export_graph
from kg.services import Services

router = APIRouter(tags=["rdf"])

RdfFormat = Literal["turtle", "json-ld"]
MEDIA_TYPES: dict[str, str] = {
    "turtle": "text/turtle; charset=utf-8",
    "json-ld": "application/ld+json",
}
_EXTENSIONS = {"turtle": "ttl", "json-ld": "jsonld"}


@router.get(
    "/rdf",
    summary="Export the graph as RDF",
    response_class=Response,
    dependencies=[Depends(require_read_key)],
    responses={
        200: {
            "description": "The graph, serialised in the requested format.",
            "content": {
                "text/turtle": {"example": "@prefix nk: <https://w3id.org/newskg/ontology#> ."},
                "application/ld+json": {"example": {"@graph": []}},
            },
        }
    },
)
def rdf(
    services: Annotated[Services, Depends(get_services)],
    format: Annotated[  # noqa: A002 - the public parameter name
        RdfFormat, Query(description="Serialisation: `turtle` or `json-ld`.")
    ] = "turtle",
) -> Response:
    """Serialise every node and relationship of the graph as RDF."""
    data = export_graph(services.graph, format)
    body = data.encode("utf-8") if isinstance(data, str) else data
    return Response(
        body,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'inline; filename="newskg.{_EXTENSIONS[format]}"'},
    )
