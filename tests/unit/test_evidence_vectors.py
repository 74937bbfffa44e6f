"""Evidence vectors pooled from the passages' forward pass (kg/ingest/evidence.py).

Each action's evidence is looked up in the passage that holds it and pooled from that
passage's pass; only what no passage holds whole (or what the model cut off) is embedded
on its own, and every action gets a vector either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.core.identity import stable_id
from kg.core.models import Action, Article, Extraction, ParsedDocument, Participant
from kg.ingest.evidence import embed_documents
from kg.ingest.splitting import split_passages
from tests.fakes import StubEmbedder

BODY = "Rebels attacked the base. Officials condemned it.\n\nTalks resumed in Havana on Monday."


class RecordingEmbedder(StubEmbedder):
    """The stub embedder, recording its calls; spans in ``cut`` come back None (as a span
    the model truncated would)."""

    def __init__(self, cut: frozenset[str] = frozenset()) -> None:
        self.cut = cut
        self.span_calls: list[list[list[str]]] = []
        self.alone_calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        self.alone_calls.append(list(texts))
        return super().embed(texts)

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[list[tuple[float, ...]], list[list[tuple[float, ...] | None]]]:
        self.span_calls.append([[t[s:e] for s, e in w] for t, w in zip(texts, spans, strict=True)])
        vectors = [self.embed_query(t) for t in texts]
        pooled: list[list[tuple[float, ...] | None]] = [
            [None if t[s:e] in self.cut else self.embed_query(t[s:e]) for s, e in w]
            for t, w in zip(texts, spans, strict=True)
        ]
        return vectors, pooled


def _action(text: str, trigger: str, body: str = BODY) -> Action:
    start = body.index(text)
    return Action("ASSAULT", (Participant("Rebels"),), (), start, start + len(text), trigger)


def _doc(actions: Sequence[Action], body: str = BODY, url: str = "u:1") -> ParsedDocument:
    article = Article(title="t", body=body, url=f"https://test.newskg.invalid/{url}")
    extraction = Extraction(actions=tuple(actions))
    return ParsedDocument(article, split_passages(article, 600), extraction)


def _id(doc: ParsedDocument, action: Action) -> str:
    return stable_id(action.iri_in(doc.article.iri))


def test_evidence_is_pooled_from_its_passage_in_the_one_pass() -> None:
    first = _action("Rebels attacked the base.", "attacked")
    same_sentence = _action("Rebels attacked the base.", "base")
    second = _action("Talks resumed in Havana on Monday.", "resumed")
    doc = _doc([first, same_sentence, second])
    embedder = RecordingEmbedder()

    ((passages, evidence),) = embed_documents(embedder, [doc])

    assert passages == embedder.embed([p.text for p in doc.passages])[: len(doc.passages)]
    # One pass over the passages; a sentence two actions share is pooled once.
    assert embedder.span_calls == [
        [["Rebels attacked the base."], ["Talks resumed in Havana on Monday."]]
    ]
    assert len(embedder.alone_calls) == 1  # the check just above, nothing from the pooling
    assert evidence == {
        _id(doc, first): embedder.embed_query("Rebels attacked the base."),
        _id(doc, same_sentence): embedder.embed_query("Rebels attacked the base."),
        _id(doc, second): embedder.embed_query("Talks resumed in Havana on Monday."),
    }


def test_evidence_no_passage_holds_or_the_model_cut_is_embedded_alone() -> None:
    across = BODY[BODY.index("Officials") : BODY.index(" in Havana")]  # spans two passages
    crossing = _action(across, "condemned")
    truncated = _action("Officials condemned it.", "condemned")
    pooled = _action("Rebels attacked the base.", "attacked")
    doc = _doc([crossing, truncated, pooled])
    embedder = RecordingEmbedder(cut=frozenset({"Officials condemned it."}))

    ((_, evidence),) = embed_documents(embedder, [doc])

    assert embedder.alone_calls == [sorted([across, "Officials condemned it."])]
    assert evidence[_id(doc, crossing)] == embedder.embed_query(across)
    assert evidence[_id(doc, truncated)] == embedder.embed_query("Officials condemned it.")
    assert evidence[_id(doc, pooled)] == embedder.embed_query("Rebels attacked the base.")


def test_a_sentence_starting_with_the_paragraph_before_is_pooled_in_its_passage() -> None:
    body = 'He said "we will fight."\n\nThey attacked the base.'
    start = body.index('."') + 1  # spaCy's sentence: the closing quote, the break, then it
    action = Action("ASSAULT", (Participant("They"),), (), start, len(body), "attacked")
    doc = _doc([action], body)
    embedder = RecordingEmbedder()

    ((_, evidence),) = embed_documents(embedder, [doc])

    assert embedder.span_calls == [[[], ["They attacked the base."]]]
    assert len(embedder.alone_calls) == 0
    assert evidence == {_id(doc, action): embedder.embed_query("They attacked the base.")}


def test_a_batch_keeps_each_documents_vectors_apart() -> None:
    other_body = "Troops shelled the town."
    a = _doc([_action("Talks resumed in Havana on Monday.", "resumed")])
    b = _doc([_action(other_body, "shelled", other_body)], other_body, "u:2")
    embedder = RecordingEmbedder()

    (pa, ea), (pb, eb) = embed_documents(embedder, [a, b])

    assert len(embedder.span_calls) == 1  # one call for the batch
    assert len(pa) == len(a.passages) and len(pb) == 1
    assert pb == [embedder.embed_query(other_body)]
    assert list(eb.values()) == [embedder.embed_query(other_body)]
    assert list(ea.values()) == [embedder.embed_query("Talks resumed in Havana on Monday.")]
    assert embed_documents(embedder, []) == []
