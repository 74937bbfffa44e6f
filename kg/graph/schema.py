"""The graph schema, derived from the ontology: the allow-list, constraints and indexes.

Labels, relationship types and property keys are never free text in Cypher: they are
interpolated by :func:`label`, :func:`rel_type` and :func:`prop`, which refuse anything
outside the ontology's allow-list. Values always travel as parameters.

Nothing here reads the ontology at import time: importing a query module must not parse
Turtle. Everything derived from it is built on first use by ``functools.cache``'d builders.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from kg.rdf.ontology import Ontology, load_ontology
from kg.rdf.ontology_specs import ClassSpec

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

AWAIT_INDEXES = "CALL db.awaitIndexes($timeout_seconds)"
PING = "RETURN 1 AS ok"

# --------------------------------------------------------------------------- allow-list


def _allowed(kind: str, name: str, allowed: Collection[str]) -> str:
    # Interpolated names come only from the ontology, and must be plain identifiers.
    if name not in allowed or not _IDENTIFIER.match(name):
        raise ValueError(f"{kind} {name!r} is not in the ontology allow-list")
    return name


def label(name: str, ontology: Ontology | None = None) -> str:
    """A node label for interpolation; it must be in the ontology.

    Raises:
        ValueError: the label is not an ontology class.
    """
    return _allowed("label", name, (ontology or load_ontology()).node_labels)


def rel_type(name: str, ontology: Ontology | None = None) -> str:
    """A relationship type for interpolation; it must be in the ontology.

    Raises:
        ValueError: the type is not an ontology object property.
    """
    return _allowed("relationship type", name, (ontology or load_ontology()).relationship_types)


def prop(key: str, ontology: Ontology | None = None) -> str:
    """A node property key for interpolation; it must be in the ontology.

    Raises:
        ValueError: the key is not an ontology property.
    """
    onto = ontology or load_ontology()
    known = set(onto.property_by_key) | {
        spec.class_name_key for spec in onto.classes.values() if spec.class_name_key
    }
    return _allowed("property key", key, known)


def relationship_types_between(
    start_labels: Collection[str], end_labels: Collection[str], ontology: Ontology | None = None
) -> tuple[str, ...]:
    """The ontology's relationship types from a node of one of ``start_labels`` to a node of
    one of ``end_labels`` (top labels), sorted.

    Sets of relationships are derived here rather than listed by hand, so a relationship
    added to the ontology is walked by every query that should walk it.
    """
    onto = ontology or load_ontology()
    return tuple(
        sorted(
            rel_type(spec.type, onto)
            for spec in onto.relationships.values()
            if spec.start_label in start_labels and spec.end_label in end_labels
        )
    )


def fulltext_index(label_name: str, ontology: Ontology | None = None) -> str:
    """The name of the ontology's fulltext index over nodes of a label.

    Raises:
        ValueError: the ontology declares no fulltext index (or several) on that label.
    """
    onto = ontology or load_ontology()
    names = [index.name for index in onto.fulltext_indexes if label_name in index.labels]
    if len(names) != 1 or not _IDENTIFIER.match(names[0]):
        raise ValueError(f"no single fulltext index on {label_name!r}: {names}")
    return names[0]


def labels_of(spec: ClassSpec, ontology: Ontology) -> str:
    """``:A:B`` for every label of a class, each checked against the allow-list."""
    return "".join(f":{label(name, ontology)}" for name in spec.labels)


def string_literal(text: str) -> str:
    """``text`` as a single-quoted Cypher string (only for ontology-derived names).

    Raises:
        ValueError: ``text`` holds a quote or a backslash.
    """
    if "'" in text or "\\" in text:
        raise ValueError(f"refusing to inline {text!r} as a Cypher string")
    return f"'{text}'"


# --------------------------------------------------------------------------- constraints


def constraint_statements(ontology: Ontology) -> list[str]:
    """``CREATE CONSTRAINT ... IF NOT EXISTS`` for every uniqueness constraint."""
    return [
        f"CREATE CONSTRAINT {name.lower()}_{key.lower()}_unique IF NOT EXISTS "
        f"FOR (n:{label(name, ontology)}) REQUIRE n.{prop(key, ontology)} IS UNIQUE"
        for name, key in ontology.uniqueness_constraints
    ]


def fulltext_index_statements(ontology: Ontology) -> list[str]:
    """``CREATE FULLTEXT INDEX ... IF NOT EXISTS`` for every fulltext index."""
    statements = []
    for index in ontology.fulltext_indexes:
        if not _IDENTIFIER.match(index.name):
            raise ValueError(f"bad fulltext index name {index.name!r}")
        labels = "|".join(label(name, ontology) for name in index.labels)
        props = ", ".join(f"n.{prop(key, ontology)}" for key in index.properties)
        statements.append(
            f"CREATE FULLTEXT INDEX {index.name} IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}]"
        )
    return statements


# --------------------------------------------------------------------------- read vocabulary


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The labels, relationship types and index names the read queries interpolate, each
    checked against the (default) ontology once."""

    article: str
    passage: str
    action: str
    entity: str
    role: str
    has_passage: str
    mentions: str
    evidenced_by: str
    reported_in: str
    has_actor: str
    has_target: str
    has_place: str
    attributed_to: str
    holds_role: str
    role_in: str
    action_entity_rels: str
    """Every relationship from an action to an entity it involves, ``A|B|...``."""
    link_labels: tuple[str, ...]
    """The nodes through which two entities are linked (by neighbors and paths)."""
    entity_link_rels: str
    """The relationships, either way, between the link nodes and entities."""
    role_rels: str
    """The relationships naming who acts and who is acted upon."""
    entity_names_index: str
    """The entity fulltext index's name, as a Cypher string literal."""
    passage_text_index: str
    """The passage fulltext index's name, as a Cypher string literal."""
    top_labels: tuple[str, ...]
    """The label every node of the ontology has exactly one of (``Entity``, ``Action``...)."""


@cache
def vocabulary() -> Vocabulary:
    """The :class:`Vocabulary` of the default ontology, built on first use."""
    link_labels = (label("Action"), label("Role"))
    return Vocabulary(
        article=label("Article"),
        passage=label("Passage"),
        action=label("Action"),
        entity=label("Entity"),
        role=label("Role"),
        has_passage=rel_type("HAS_PASSAGE"),
        mentions=rel_type("MENTIONS"),
        evidenced_by=rel_type("EVIDENCED_BY"),
        reported_in=rel_type("REPORTED_IN"),
        has_actor=rel_type("HAS_ACTOR"),
        has_target=rel_type("HAS_TARGET"),
        has_place=rel_type("HAS_PLACE"),
        attributed_to=rel_type("ATTRIBUTED_TO"),
        holds_role=rel_type("HOLDS_ROLE"),
        role_in=rel_type("ROLE_IN"),
        action_entity_rels="|".join(relationship_types_between({"Action"}, {"Entity"})),
        link_labels=link_labels,
        entity_link_rels="|".join(
            sorted(
                relationship_types_between(set(link_labels), {"Entity"})
                + relationship_types_between({"Entity"}, set(link_labels))
            )
        ),
        role_rels=f"{rel_type('HAS_ACTOR')}|{rel_type('HAS_TARGET')}",
        entity_names_index=string_literal(fulltext_index("Entity")),
        passage_text_index=string_literal(fulltext_index("Passage")),
        top_labels=tuple(label(name) for name in load_ontology().top_labels),
    )
