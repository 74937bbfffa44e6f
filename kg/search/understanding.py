"""Query understanding: which entities a search query names, in which role, about which events.

Two steps, kept apart so the first is testable on strings alone:

1. :func:`parse_query` (pure): finds role cues ("against X" -> X is a target, "by X" /
   "X's" -> actor, "between X and Y" -> both involved), event words ("attacks" -> ASSAULT),
   and the candidate spans that might name an entity (role spans, capitalised runs, n-grams).
2. :func:`resolve_entities`: looks the candidate spans up (in production, Neo4j fulltext over
   entity names and aliases; see :class:`kg.search.engine.HybridSearch`) and keeps non-overlapping
   matches, exact name/alias matches first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.core.models import PLOVER_TYPES
from kg.core.records import EntityMatch, EntityRef, Role
from kg.extraction.actions.lexicon import DEFAULT_LEXICON_PATH as LEXICON_PATH
from kg.search.results import QueryEntity, QueryUnderstanding

# Event words a *query* uses, by PLOVER type. Nouns and verb forms both, because queries are
# mostly noun phrases ("attacks on", "talks between", "sanctions against").
QUERY_EVENT_WORDS: Mapping[str, tuple[str, ...]] = {
    "ASSAULT": (
        "attack",
        "attacks",
        "attacked",
        "attacking",
        "assault",
        "assaults",
        "strike",
        "strikes",
        "airstrike",
        "airstrikes",
        "bombing",
        "bombings",
        "bombed",
        "shelling",
        "killing",
        "killings",
        "killed",
        "fight",
        "fighting",
        "fights",
        "ambush",
        "ambushes",
        "kidnapping",
        "kidnappings",
        "massacre",
        "violence",
        "offensive",
    ),
    "CONSULT": (
        "talks",
        "talk",
        "meeting",
        "meetings",
        "met",
        "meet",
        "visit",
        "visits",
        "negotiation",
        "negotiations",
        "negotiate",
        "consultations",
        "summit",
        "call",
        "calls",
    ),
    "ACCUSE": (
        "accusation",
        "accusations",
        "accuse",
        "accuses",
        "accused",
        "blame",
        "blamed",
        "condemn",
        "condemns",
        "condemned",
        "condemnation",
        "criticism",
        "criticise",
        "criticize",
        "denounce",
        "denounced",
    ),
    "SANCTION": ("sanction", "sanctions", "sanctioned", "embargo", "embargoes", "boycott"),
    "THREATEN": ("threat", "threats", "threaten", "threatens", "threatened", "ultimatum"),
    "PROTEST": ("protest", "protests", "demonstration", "demonstrations", "rally", "rallies"),
    "AGREE": (
        "agreement",
        "agreements",
        "agree",
        "agreed",
        "deal",
        "deals",
        "accord",
        "treaty",
        "pledge",
        "pledges",
        "vow",
        "vowed",
    ),
    "AID": ("aid", "assistance", "donation", "donations", "humanitarian"),
    "SUPPORT": ("support", "supports", "supported", "endorsement", "endorse", "praise"),
    "COOPERATE": ("cooperation", "cooperate", "joint", "alliance", "partnership"),
    "REQUEST": ("request", "requests", "requested", "appeal", "appeals", "demand", "demands"),
    "REJECT": ("rejection", "reject", "rejects", "rejected", "refusal", "refuse", "veto"),
    "RETREAT": ("retreat", "retreats", "withdrawal", "withdraw", "withdrew"),
    "CONCEDE": ("concession", "concessions", "ceasefire", "truce", "release"),
    "MOBILIZE": ("mobilization", "mobilisation", "mobilize", "deployment", "deploy", "troops"),
    "COERCE": (
        "arrest",
        "arrests",
        "arrested",
        "detention",
        "detained",
        "seizure",
        "seized",
        "expulsion",
        "expelled",
        "crackdown",
        "raid",
        "raids",
    ),
}

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
_STOP_WORDS = frozenset(
    """a an the of in on at to for from by with about and or is are was were be been who what
    which whom whose when where why how did do does has have had any all some this that these
    those it its their his her our my your me us them they he she we i actions action events
    event news article articles passage passages between against since during after before
    over under into than then there here not no s""".split()  # noqa: SIM905
)
_BOUNDARY_WORDS = frozenset(
    """in on at since during after before over with about for and or from by to that which
    who when where while because than""".split()  # noqa: SIM905
)

_TOKEN_RE = re.compile(r"[^\W_][\w\-.&]*[^\W_]|[^\W_]", re.UNICODE)
_POSSESSIVE_RE = re.compile(r"(['\u2019]s)\b", re.IGNORECASE)
_MAX_SPAN_TOKENS = 6
_MAX_NGRAM = 4


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the query with its character offsets."""

    text: str
    start: int
    end: int


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


EntityLookup = Callable[[Sequence[str]], Sequence[EntityMatch]]
"""Given candidate span texts, return entities whose name or aliases may match them."""


def normalize_name(text: str) -> str:
    """Fold a name for comparison: accents, case, punctuation, a leading "the", a possessive."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"'s\b", "", folded.lower())
    words = re.findall(r"[a-z0-9]+", folded)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def tokenize(text: str) -> list[Token]:
    """Split a query into word tokens (keeping "U.S.", "al-Qaeda" whole) with offsets."""
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        word = match.group(0)
        end = match.end()
        possessive = _POSSESSIVE_RE.search(word)
        if possessive and possessive.end() == len(word):
            word = word[: possessive.start()]
            end = match.start() + len(word)
        tokens.append(Token(word, match.start(), end))
    return tokens


def content_words(query: str) -> list[str]:
    """The query's words minus stop words and generic words ("actions", "news")."""
    return [t.text for t in tokenize(query) if t.text.lower() not in _STOP_WORDS]


@lru_cache(maxsize=1)
def event_lexicon() -> dict[str, str]:
    """Word -> PLOVER type for query event words.

    Starts from :data:`QUERY_EVENT_WORDS` (inflected forms, as queries use them), then adds
    the verb and noun lemmas of the extraction lexicon
    (``kg/extraction/data/plover_lexicon.json``: ``{"verbs": {lemma: "TYPE[:mode]"},
    "nouns": {...}}``) without overriding the query words. Multi-word entries are skipped.
    """
    lexicon: dict[str, str] = {}
    for plover, words in QUERY_EVENT_WORDS.items():
        for word in words:
            lexicon.setdefault(word, plover)
    for word, plover in _extraction_lexicon_words():
        lexicon.setdefault(word, plover)
    return lexicon


def event_type_of(word: str) -> str | None:
    """The PLOVER type a query word names, trying simple lemmas ("sanctioned" -> "sanction")."""
    lexicon = event_lexicon()
    lower = word.lower()
    if lower in _STOP_WORDS:
        return None
    for form in _lemma_candidates(lower):
        if form in lexicon:
            return lexicon[form]
    return None


def _lemma_candidates(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    if word.endswith("ed") and len(word) > 4:
        forms += [word[:-2], word[:-1]]
    if word.endswith("ing") and len(word) > 5:
        forms += [word[:-3], word[:-3] + "e"]
    return forms


def _extraction_lexicon_words() -> Iterable[tuple[str, str]]:
    try:
        data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict):
        return []
    pairs: list[tuple[str, str]] = []
    for section in ("verbs", "nouns"):
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        for lemma, value in entries.items():
            plover = str(value).split(":", 1)[0].upper()
            word = str(lemma).strip().lower()
            if plover in PLOVER_TYPES and re.fullmatch(r"[a-z]+", word):
                pairs.append((word, plover))
    return pairs


def _is_capitalised(tokens: Sequence[Token]) -> bool:
    content = [t for t in tokens if t.text.lower() not in _STOP_WORDS]
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
    while taken and taken[-1].text.lower() in _STOP_WORDS:
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
    tokens = tokenize(query)
    role_spans, pairwise = _role_spans(query, tokens)

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
    candidates.extend(_capitalised_runs(query, tokens))
    candidates.extend(_ngrams(query, tokens))
    return ParsedQuery(
        query=query,
        role_spans=tuple(role_spans),
        candidates=tuple(_dedupe(candidates)),
        event_types=tuple(event_types),
        event_words=tuple(event_words),
        pairwise=pairwise,
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
        is_cap = token.text[0].isupper() and not (k == 0 and token.text.lower() in _STOP_WORDS)
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
            if window[0].text.lower() in _STOP_WORDS or window[-1].text.lower() in _STOP_WORDS:
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


def _role_at(parsed: ParsedQuery, start: int, end: int) -> Role:
    for span in parsed.role_spans:
        if span.start <= start and end <= span.end:
            return span.role
    return "any"


def resolve_entities(parsed: ParsedQuery, lookup: EntityLookup) -> QueryUnderstanding:
    """Resolve the parse's candidate spans to entities, exact name/alias matches first.

    A span matches an entity exactly when its normalised text equals the entity's normalised
    name or one of its aliases (score 1.0). Otherwise a capitalised span, or a span in a role
    position, matches partially when all its words occur in one of the entity's names
    (score 0.7 times the lookup's relative score). Chosen spans do not overlap; an entity is
    reported once, with the role of its first (strongest) span.

    Args:
        parsed: The output of :func:`parse_query`.
        lookup: Returns candidate entities for span texts.

    Returns:
        The query understanding.
    """
    texts = [c.text for c in parsed.candidates if normalize_name(c.text)]
    records = list(lookup(texts)) if texts else []
    top_score = max((r.score for r in records), default=1.0) or 1.0

    scored: list[tuple[float, int, Candidate, EntityMatch]] = []
    for candidate in parsed.candidates:
        key = normalize_name(candidate.text)
        if not key:
            continue
        words = set(key.split())
        in_role = any(
            s.start <= candidate.start and candidate.end <= s.end for s in parsed.role_spans
        )
        best: tuple[float, EntityMatch] | None = None
        for record in records:
            names = [normalize_name(n) for n in (record.entity.name, *record.entity.aliases)]
            if key in names:
                score = 1.0
            elif (candidate.capitalised or in_role) and any(
                words <= set(n.split()) for n in names if n
            ):
                if words <= _STOP_WORDS:
                    continue
                score = 0.7 * (record.score / top_score)
            else:
                continue
            if best is None or score > best[0]:
                best = (score, record)
        if best is not None:
            scored.append((best[0], candidate.end - candidate.start, candidate, best[1]))

    scored.sort(key=lambda item: (item[0] >= 1.0, item[1], item[0]), reverse=True)
    taken: list[tuple[int, int]] = []
    chosen: dict[str, QueryEntity] = {}
    for score, _length, candidate, match in scored:
        entity = match.entity
        if any(candidate.start < e and s < candidate.end for s, e in taken):
            continue
        if entity.id in chosen:
            continue
        taken.append((candidate.start, candidate.end))
        chosen[entity.id] = QueryEntity(
            entity=EntityRef(entity.id, entity.name, entity.type),
            span=candidate.text,
            role=_role_at(parsed, candidate.start, candidate.end),
            score=round(score, 4),
        )
    entities = sorted(chosen.values(), key=lambda q: parsed.query.find(q.span))
    return QueryUnderstanding(
        query=parsed.query,
        entities=tuple(entities),
        event_types=parsed.event_types,
        event_words=parsed.event_words,
        role_spans=tuple((s.text, s.role) for s in parsed.role_spans),
        pairwise=parsed.pairwise,
    )
