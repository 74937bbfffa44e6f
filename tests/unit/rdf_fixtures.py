"""A hand-built parsed document for the ontology and mapping tests."""

from __future__ import annotations

from datetime import date

from kg.core.models import (
    Action,
    Article,
    Entity,
    Extraction,
    Mention,
    ParsedDocument,
    Participant,
    Passage,
    Role,
)

BODY = (
    "Colombia's interior minister Juan Fernando Cristo met FARC leaders in Havana on Monday. "
    "The rebels of the FARC agreed to a ceasefire, according to Reuters."
)


def _span(text: str, start: int = 0) -> tuple[int, int]:
    begin = BODY.index(text, start)
    return begin, begin + len(text)


def build_document(
    url: str = "https://example.org/news/colombia-farc", key_suffix: str = ""
) -> ParsedDocument:
    """An article with two passages, four entities, a role and two actions.

    ``key_suffix`` makes entity keys unique (integration tests isolate their data with it).
    """
    article = Article(
        title="FARC agrees to ceasefire",
        body=BODY,
        published=date(2016, 6, 20),
        url=url,
        source="Example News",
        section="World",
    )
    cut = BODY.index("The rebels")
    passages = (
        Passage(article.iri, 0, 0, cut - 1, BODY[: cut - 1]),
        Passage(article.iri, 1, cut, len(BODY), BODY[cut:]),
    )
    k = key_suffix
    colombia, cristo, farc, reuters = (
        f"colombia{k}",
        f"juan-fernando-cristo{k}",
        f"farc{k}",
        f"reuters{k}",
    )
    entities = (
        Entity(colombia, "Colombia", "Country", wikidata="Q739"),
        Entity(cristo, "Juan Fernando Cristo", "Person", aliases=("Cristo",)),
        Entity(farc, "FARC", "ArmedGroup", aliases=("Revolutionary Armed Forces of Colombia",)),
        Entity(reuters, "Reuters", "MediaOrganization"),
        Entity(f"havana{k}", "Havana", "Place"),
    )
    mentions = (
        Mention(*_span("Colombia"), "Colombia", colombia, "Country"),
        Mention(*_span("Juan Fernando Cristo"), "Juan Fernando Cristo", cristo, "Person"),
        Mention(*_span("FARC"), "FARC", farc, "ArmedGroup"),
        Mention(*_span("Havana"), "Havana", f"havana{k}", "Place"),
        Mention(*_span("FARC", cut), "FARC", farc, "ArmedGroup"),
        Mention(*_span("Reuters"), "Reuters", reuters, "MediaOrganization"),
    )
    meet_start, _ = _span("Colombia's interior")
    _, meet_end = _span("on Monday")
    agree_start, _ = _span("The rebels")
    _, agree_end = _span("according to Reuters")
    actions = (
        Action(
            type="CONSULT",
            actors=(Participant("Juan Fernando Cristo", cristo),),
            targets=(Participant("FARC leaders", farc),),
            start=meet_start,
            end=meet_end,
            trigger="met",
            mode="visit",
            date=date(2016, 6, 20),
            date_text="on Monday",
            place=Participant("Havana", f"havana{k}"),
            confidence=0.8,
        ),
        Action(
            type="RETREAT",
            actors=(Participant("The rebels of the FARC", farc),),
            targets=(Participant("the government"),),
            start=agree_start,
            end=agree_end,
            trigger="agreed to a ceasefire",
            mode="ceasefire",
            attributed_to=(Participant("Reuters", reuters),),
            future=True,
            confidence=0.7,
        ),
    )
    roles = (Role(cristo, "interior minister", colombia),)
    return ParsedDocument(
        article=article,
        passages=passages,
        extraction=Extraction(entities=entities, mentions=mentions, actions=actions, roles=roles),
    )
