"""Parsing a query string, before any lookup: role cues, event words, candidate name spans.

:func:`parse_query` finds role cues ("against X" -> X is a target, "by X" / "X's" -> actor,
"between X and Y" -> both involved), event words ("attacks" -> ASSAULT, see
:mod:`kg.search.understanding.words`), and the spans that might name an entity (role spans,
capitalised runs, n-grams), and an ordering cue ("most widely reported": rank the actions
by their number of sources, see :mod:`kg.search.understanding.ordering`). It is pure:
testable on strings alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.core.records import Role
from kg.search.understanding.ordering import order_cue
from kg.search.understanding.words import STOP_WORDS, Token, event_type_of, tokenize

# Cue word(s) -> role of the span that follows.
_TARGET_CUES = (
    "against",
    "targeting",
    "targeted at",
    "fighting",
    "fight",
    "attacking",
    "attacks on",
    "attack on",
    "strikes on",
    "strikes against",
    "sanctions on",
    "pressure on",
    "aid to",
    "threats to",
    "threats against",
    "accusations against",
)
_ACTOR_CUES = ("by", "from")
_BOUNDARY_WORDS = frozenset(
    """in on at since during after before over with about for and or from by to that which
    who when where while because than""".split()  # noqa: SIM905
)

_MAX_SPAN_TOKENS = 6
_MAX_NGRAM = 4


@dataclass(frozen=True, slots=True)
class Candidate:
    """A query span that may name an entity.

    Attributes:
        text: The span's text.
        start: Start offset in the query.
        end: End offset in the query.
        role: The role its context implies ("any" when no cue).
        capitalised: Whether every content word starts with a capital (a likely name).
    """

    text: str
    start: int
    end: int
    role: Role
    capitalised: bool


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What :func:`parse_query` finds in a query string, before any lookup."""

    query: str
    role_spans: tuple[Candidate, ...]
    candidates: tuple[Candidate, ...]
    event_types: tuple[str, ...]
    event_words: tuple[str, ...]
    pairwise: bool  # "between X and Y": actions must involve all the named entities
    order_by_sources: bool = False  # "most reported": actions by their number of sources
    order_words: tuple[str, ...] = ()  # the phrases that asked for it, as written


def _is_capitalised(tokens: Sequence[Token]) -> bool:
    content = [t for t in tokens if t.text.lower() not in STOP_WORDS]
    return bool(content) and all(t.text[0].isupper() or t.text[0].isdigit() for t in content)


def _span(query: str, tokens: Sequence[Token], role: Role) -> Candidate:
    start, end = tokens[0].start, tokens[-1].end
    return Candidate(query[start:end], start, end, role, _is_capitalised(tokens))


def _take_span(query: str, tokens: Sequence[Token], i: int) -> list[Token]:
    """Tokens from ``i`` up to a boundary word, punctuation gap, or the span length limit."""
    taken: list[Token] = []
    for j in range(i, min(len(tokens), i + _MAX_SPAN_TOKENS)):
        word = tokens[j].text.lower()
        if taken and (
            word in _BOUNDARY_WORDS
            or _match_cue(tokens, j, _TARGET_CUES)
            or _match_cue(tokens, j, _ACTOR_CUES)
        ):
            break
        if taken and event_type_of(word) and not tokens[j].text[0].isupper():
            break
        if taken and _gap_has_punctuation(tokens[j - 1], tokens[j], query):
            break
        taken.append(tokens[j])
    while taken and taken[-1].text.lower() in STOP_WORDS:
        taken.pop()
    return taken


def _gap_has_punctuation(left: Token, right: Token, query: str) -> bool:
    return bool(re.search(r"[,;:!?()\"]", query[left.end : right.start]))


def _match_cue(tokens: Sequence[Token], i: int, cues: Iterable[str]) -> int:
    """Number of tokens of the longest cue starting at token ``i`` (0 when none)."""
    best = 0
    for cue in cues:
        words = cue.split()
        if i + len(words) <= len(tokens) and all(
            tokens[i + k].text.lower() == w for k, w in enumerate(words)
        ):
            best = max(best, len(words))
    return best


def parse_query(query: str) -> ParsedQuery:
    """Find role spans, event words and entity candidate spans in a query string.

    Args:
        query: The raw search query.

    Returns:
        The parse; nothing is looked up.
    """
    # The ordering phrase is blanked out (offsets kept): it names no entity and no event.
    cue = order_cue(query)
    text = cue.text
    tokens = tokenize(text)
    role_spans, pairwise = _role_spans(text, tokens)

    event_types: list[str] = []
    event_words: list[str] = []
    for token in tokens:
        plover = event_type_of(token.text)
        # A capitalised event word mid-query is likely a name ("Strike Force"), not an event.
        if plover is not None and (token.text[0].islower() or token.start == 0):
            event_words.append(token.text)
            if plover not in event_types:
                event_types.append(plover)

    candidates = list(role_spans)
    candidates.extend(_capitalised_runs(text, tokens))
    candidates.extend(_ngrams(text, tokens))
    return ParsedQuery(
        query=query,
        role_spans=tuple(role_spans),
        candidates=tuple(_dedupe(candidates)),
        event_types=tuple(event_types),
        event_words=tuple(event_words),
        pairwise=pairwise,
        order_by_sources=cue.by_sources,
        order_words=cue.phrases,
    )


def _role_spans(query: str, tokens: list[Token]) -> tuple[list[Candidate], bool]:
    spans: list[Candidate] = []
    pairwise = False
    i = 0
    while i < len(tokens):
        word = tokens[i].text.lower()
        if word == "between":
            first = _take_span(query, tokens, i + 1)
            nxt = i + 1 + len(first)
            if first and nxt < len(tokens) and tokens[nxt].text.lower() == "and":
                second = _take_span(query, tokens, nxt + 1)
                if second:
                    spans.append(_span(query, first, "any"))
                    spans.append(_span(query, second, "any"))
                    pairwise = True
                    i = nxt + 1 + len(second)
                    continue
        n_target = _match_cue(tokens, i, _TARGET_CUES)
        n_actor = _match_cue(tokens, i, _ACTOR_CUES)
        if n_target or n_actor:
            n = max(n_target, n_actor)
            role: Role = "target" if n_target >= n_actor else "actor"
            span = _take_span(query, tokens, i + n)
            if span:
                spans.append(_span(query, span, role))
                i += n + len(span)
                continue
        i += 1
    # Possessives: "Russia's attacks" -> Russia acts.
    for match in re.finditer(r"([A-Z][\w\-.&]*(?:\s+[A-Z][\w\-.&]*)*)['\u2019]s\b", query):
        start, end = match.span(1)
        spans.append(Candidate(query[start:end], start, end, "actor", True))
    return spans, pairwise


def _capitalised_runs(query: str, tokens: Sequence[Token]) -> list[Candidate]:
    """Runs of capitalised tokens ("National Liberation Army"), allowing inner "of"/"the"."""
    runs: list[Candidate] = []
    run: list[Token] = []

    def flush() -> None:
        while run and run[-1].text.lower() in {"of", "the", "and"}:
            run.pop()
        if run:
            runs.append(_span(query, run, "any"))
        run.clear()

    for k, token in enumerate(tokens):
        is_cap = token.text[0].isupper() and not (k == 0 and token.text.lower() in STOP_WORDS)
        joiner = run and token.text.lower() in {"of", "the", "and"}
        gap = run and _gap_has_punctuation(run[-1], token, query)
        if gap:
            flush()
        if is_cap or joiner:
            run.append(token)
        else:
            flush()
    flush()
    return runs


def _ngrams(query: str, tokens: Sequence[Token]) -> list[Candidate]:
    grams: list[Candidate] = []
    for n in range(_MAX_NGRAM, 0, -1):
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            if window[0].text.lower() in STOP_WORDS or window[-1].text.lower() in STOP_WORDS:
                continue
            if n == 1 and event_type_of(window[0].text):
                continue
            grams.append(_span(query, window, "any"))
    return grams


def _dedupe(candidates: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[tuple[int, int], Candidate] = {}
    for candidate in candidates:
        key = (candidate.start, candidate.end)
        if key not in seen:
            seen[key] = candidate
    return list(seen.values())
