"""Passages keep exact character offsets into the body."""

from __future__ import annotations

from kg.core.models import Article
from kg.ingest.parsing import parse_path
from kg.ingest.splitting import split_passages
from tests.conftest import SEED


def test_seed_passages_are_paragraphs_with_exact_offsets() -> None:
    (article,) = parse_path(SEED)
    passages = split_passages(article)
    assert len(passages) == 14
    for i, p in enumerate(passages):
        assert p.index == i
        assert article.body[p.start : p.end] == p.text
    assert "committed to taking joint actions" in passages[2].text


def test_long_paragraph_is_cut_at_sentences() -> None:
    sentence = "The committee met again on Monday to discuss the budget. "
    body = (sentence * 30).strip()
    article = Article(title="t", body=body)
    passages = split_passages(article, max_chars=200)
    assert len(passages) > 1
    assert all(len(p.text) <= 200 for p in passages)
    assert all(p.text.endswith(".") for p in passages)
    assert all(body[p.start : p.end] == p.text for p in passages)
    # Nothing is lost between passages except the separating spaces.
    assert " ".join(p.text for p in passages) == body


def test_ids_are_stable() -> None:
    (a,) = parse_path(SEED)
    (b,) = parse_path(SEED)
    assert [p.id for p in split_passages(a)] == [p.id for p in split_passages(b)]
