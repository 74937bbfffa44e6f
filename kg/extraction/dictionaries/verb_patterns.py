"""CAMEO verb patterns matched against a spaCy dependency parse.

The packaged ``verbs.json.gz`` (built by :mod:`.build` from PETRARCH2's ``CAMEO.2.0.txt``)
lists verbs in synonym blocks; each block has patterns such as ``* (AGAINST +)`` or
``&MILITARY * EXERCISES`` with a CAMEO code. A pattern fits a verb when every element is
found in the verb's parse context (:mod:`.parse_context`): noun phrases among its objects
(or its subject, for elements before ``*``), prepositional phrases among its prepositions.
The most specific fitting pattern decides the CAMEO code, hence the PLOVER type and mode,
and, where it marks them, which phrase is the source (``$``) and which the target (``+``).
Without a fitting pattern the verb's own code (or its block's) applies; a pattern coded
``---`` says the use is no event at all ("attacked corruption").

Event nouns ("the attack on X by Y") use the code of the same word as a verb, with the
prepositional patterns of its block and the agent from "by X" or a possessor.
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.extraction.dictionaries.parse_context import (
    Context,
    Token,
    expand,
    noun_context,
    verb_context,
)
from kg.extraction.dictionaries.verb_source import plural

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "petrarch"
# Report verbs and statements (CAMEO 01) are no PLOVER event: the lexicon keeps them.
_NO_PLOVER = ""


@dataclass(frozen=True, slots=True)
class VerbMatch:
    """What the dictionary says about one verb (or event noun) in its sentence.

    Attributes:
        cameo: The CAMEO code, or None when a pattern says the use is no event.
        type: The PLOVER type, or None (no event, or a statement PLOVER does not code).
        mode: The PLOVER mode, or None.
        sources: Head tokens of the source phrases (conjuncts included).
        targets: Head tokens of the target phrases (conjuncts included).
        source_marked: Whether a pattern placed the source (``$``, or reversed roles).
        target_marked: Whether a pattern placed the target (``+``, or reversed roles).
        pattern: The fitting pattern as text ("" for the verb's own code).
        specificity: How many pattern elements fitted (0 for the verb's own code).
        basis: What decided the code: "pattern", "verb" (the verb's own code), "head" (the
            code of the block the verb heads) or "block" (a synonym's block code).
        reversed: Whether the code runs from the target to the source (``[:173]``).
        passive: Whether the verb is passive ("was arrested"): its subject is the target,
            and without a "by" phrase it names no source.
    """

    cameo: str | None
    type: str | None
    mode: str | None
    sources: tuple[Token, ...]
    targets: tuple[Token, ...]
    source_marked: bool = False
    target_marked: bool = False
    pattern: str = ""
    specificity: int = 0
    basis: str = "pattern"
    reversed: bool = False
    passive: bool = False


@dataclass(frozen=True, slots=True)
class _Fit:
    score: int
    sources: tuple[Token, ...] = ()
    targets: tuple[Token, ...] = ()
    consumed: bool = False  # a pattern noun is the object ("launched strikes")


def describe(elements: list[Any]) -> str:
    """A pattern's elements as text: ``[["p","against",[["t"]]]]`` -> ``(against +)``."""
    out: list[str] = []
    for e in elements:
        if e[0] == "n":
            out.append(" ".join(e[1]) if len(e[1]) == 1 else "{" + " ".join(e[1]) + "}")
        elif e[0] == "p":
            out.append("(" + " ".join([e[1], describe(e[2])]).strip() + ")")
        else:
            out.append("$" if e[0] == "s" else "+")
    return " ".join(out)


class VerbDictionary:
    """The packaged CAMEO verb dictionary with its CAMEO-to-PLOVER table.

    Args:
        data: The decoded ``verbs.json.gz`` (``synsets``, ``verbs``, ``blocks``, ``plover``).
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.verbs: dict[str, list[Any]] = data["verbs"]
        self.blocks: list[Any] = data["blocks"]
        self.plover: dict[str, list[str]] = data["plover"]
        self.synsets = {k: frozenset(v) for k, v in data["synsets"].items()}

    # ------------------------------------------------------------------ codes

    def plover_of(self, cameo: str) -> tuple[str, str | None] | None:
        """PLOVER (type, mode) of a CAMEO code (longest known prefix); None for statements."""
        for n in range(len(cameo), 1, -1):
            found = self.plover.get(cameo[:n])
            if found is not None:
                return found[0], (found[1] or None)
        return None

    def knows(self, lemma: str) -> bool:
        """Whether a lemma is a verb of the dictionary."""
        return lemma.lower() in self.verbs

    # ------------------------------------------------------------------ matching

    def match(self, tok: Token) -> VerbMatch | None:
        """The dictionary's reading of a verb token; None if the verb is unknown.

        Args:
            tok: A verb token of a parsed sentence.

        Returns:
            The match; its ``type`` is None when the use is no PLOVER event.
        """
        return self._match(tok, verb_context(tok), nominal=False)

    def match_noun(self, tok: Token) -> VerbMatch | None:
        """The reading of an event noun ("attack on X by Y") through the same-word verb."""
        return self._match(tok, noun_context(tok), nominal=True)

    def verb_of_noun(self, lemma: str) -> str | None:
        """The dictionary verb an event noun derives from ("negotiation" -> "negotiate")."""
        lemma = lemma.lower()
        if lemma in self.verbs:
            return lemma
        for suffix, replacements in _NOUN_SUFFIXES:
            if lemma.endswith(suffix) and len(lemma) > len(suffix) + 2:
                stem = lemma[: -len(suffix)]
                for ending in replacements:
                    if stem + ending in self.verbs:
                        return stem + ending
        return None

    def _match(self, tok: Token, ctx: Context, nominal: bool) -> VerbMatch | None:
        lemma = tok.lemma_.lower()
        if nominal:
            lemma = self.verb_of_noun(lemma) or lemma
        entries = self.verbs.get(lemma) or self.verbs.get(tok.lower_)
        if not entries:
            return None
        best: tuple[int, list[Any], _Fit] | None = None
        own: str | None = None
        basis = "block"
        found_entry = False
        for block_index, before, after, code in entries:
            if not _multiword_fits(tok, before, after):
                continue
            found_entry = True
            name, block_code, patterns = self.blocks[block_index]
            if own is None:
                own = code or block_code
                basis = "verb" if code else ("head" if name == lemma else "block")
            for pattern in patterns:
                if nominal and (pattern[0] or any(e[0] != "p" for e in pattern[1])):
                    continue  # nouns take only prepositional patterns
                fit = self._fit(pattern, ctx)
                if fit is not None and (best is None or fit.score > best[0]):
                    best = (fit.score, pattern, fit)
        if not found_entry:
            return None
        if best is not None:
            _, pattern, fit = best
            return self._result(pattern[2], pattern[3], ctx, fit, pattern, "pattern")
        return self._result(own, None, ctx, _Fit(0), None, basis)

    def _result(
        self,
        code: str | None,
        alt: str | None,
        ctx: Context,
        fit: _Fit,
        pattern: list[Any] | None,
        basis: str,
    ) -> VerbMatch | None:
        text = (describe(pattern[0]) + " * " + describe(pattern[1])).strip() if pattern else ""
        sources = fit.sources or ctx.subjects
        # "launched strikes against X": the object is the event, the target follows it.
        after = _prep_targets(ctx)
        targets = fit.targets or (after if fit.consumed and after else ctx.objects or after)
        reverse = code is None and alt is not None
        if reverse:
            code, sources, targets = alt, targets, sources
        if code is None:
            if pattern is None:
                return None  # the verb alone codes nothing: no opinion
            return VerbMatch(None, None, None, sources, targets, pattern=text, basis=basis)
        plover = self.plover_of(code)
        return VerbMatch(
            cameo=code,
            type=plover[0] if plover else None,
            mode=plover[1] if plover else None,
            sources=sources,
            targets=targets,
            source_marked=bool(fit.sources) or reverse,
            target_marked=bool(fit.targets) or reverse,
            pattern=text,
            specificity=fit.score,
            basis=basis,
            reversed=reverse,
            passive=ctx.passive,
        )

    # ------------------------------------------------------------------ elements

    def _fit(self, pattern: list[Any], ctx: Context) -> _Fit | None:
        pre, post = pattern[0], pattern[1]
        score = 0
        consumed = False
        sources: list[Token] = []
        targets: list[Token] = []
        for elements, side in ((pre, "pre"), (post, "post")):
            for e in elements:
                kind = e[0]
                if kind in ("s", "t"):
                    heads = ctx.subjects if side == "pre" else ctx.objects
                    if not heads:
                        return None
                    (sources if kind == "s" else targets).extend(heads)
                    score += 1
                elif kind == "n":
                    pool = ctx.pre_words if side == "pre" else ctx.post_words
                    if not all(self._word_in(w, pool) for w in e[1]):
                        return None
                    score += 2 * len(e[1])
                    if side == "post":
                        consumed = consumed or any(
                            _head_fits(self, e[1][-1], o) for o in ctx.objects + ctx.inner_objects
                        )
                else:
                    # "* CAMPAIGN (AGAINST)": a bare preposition after a noun element may hang
                    # on that noun in a dependency parse ("launched a campaign against X").
                    at = elements.index(e)
                    noun_before = side == "post" and at > 0 and elements[at - 1][0] == "n"
                    own = len(ctx.preps) if noun_before else ctx.own_preps
                    fit = self._prep_fit(e, ctx.preps, own)
                    if fit is None:
                        return None
                    score += fit.score
                    sources.extend(fit.sources)
                    targets.extend(fit.targets)
        if not score:
            return None
        return _Fit(score, tuple(sources), tuple(targets), consumed)

    def _prep_fit(
        self, e: list[Any], preps: tuple[tuple[str, Token], ...], own: int
    ) -> _Fit | None:
        """A ``(PREP X)`` element against the (preposition, object) pairs of the context.

        A bare ``(PREP)`` must hang on the trigger itself (the first ``own`` pairs).
        """
        best: _Fit | None = None
        for index, (prep, pobj) in enumerate(preps):
            if prep != e[1] or (not e[2] and index >= own):
                continue
            score = 2
            sources: list[Token] = []
            targets: list[Token] = []
            ok = True
            if not e[2] and prep in _OPEN_TARGET_PREPS:
                targets.extend(expand(pobj))  # "(AGAINST)": whoever follows is the target
            for inner in e[2]:
                if inner[0] == "t":
                    targets.extend(expand(pobj))
                elif inner[0] == "s":
                    sources.extend(expand(pobj))
                elif inner[0] == "n":
                    words = {w for t in pobj.subtree for w in _forms(t)}
                    ok = ok and _head_fits(self, inner[1][-1], pobj)
                    ok = ok and all(self._word_in(w, words) for w in inner[1][:-1])
                    score += 2 * len(inner[1])
                else:
                    nested = _preps_of(pobj)
                    sub = self._prep_fit(inner, nested, len(nested))
                    ok = ok and sub is not None
                    if sub is not None:
                        score += sub.score
                        sources.extend(sub.sources)
                        targets.extend(sub.targets)
                score += 1
            if ok and (best is None or score > best.score):
                best = _Fit(score, tuple(sources), tuple(targets))
        return best

    def _word_in(self, word: str, pool: frozenset[str] | set[str]) -> bool:
        if word.startswith("&"):
            return bool(self.synsets.get(word, frozenset()) & pool)
        return word in pool


# Event nouns and the verbs they come from: "negotiation", "deployment", "withdrawal".
_NOUN_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ation", ("ate", "", "e")),
    ("ition", ("ite", "")),
    ("ution", ("ute",)),
    ("sion", ("d", "de", "t")),
    ("tion", ("te", "t")),
    ("ment", ("",)),
    ("al", ("", "e")),
    ("ing", ("", "e")),
    ("ure", ("",)),
)
_OPEN_TARGET_PREPS = frozenset({"against", "with", "on", "upon", "at", "toward", "towards"})
_TARGET_PREPS = ("against", "on", "upon", "with", "at", "toward", "towards", "to", "into")


_NOT_PARTIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})


def _prep_targets(ctx: Context) -> tuple[Token, ...]:
    """Targets when the object is the event itself ("launched strikes against X")."""
    for prep in _TARGET_PREPS:
        found = tuple(
            t
            for p, g in ctx.preps
            if p == prep and g.ent_type_ not in _NOT_PARTIES
            for t in expand(g)
        )
        if found:
            return found
    return ()


def _forms(tok: Token) -> set[str]:
    lemma = tok.lemma_.lower()
    return {tok.lower_, lemma, plural(lemma)}


def _head_fits(dictionary: VerbDictionary, word: str, tok: Token) -> bool:
    forms = _forms(tok)
    if word.startswith("&"):
        return bool(dictionary.synsets.get(word, frozenset()) & forms)
    return word in forms


def _preps_of(tok: Token) -> tuple[tuple[str, Token], ...]:
    return tuple(
        (c.lower_, g)
        for c in tok.children
        if c.dep_ == "prep"
        for g in c.children
        if g.dep_ in ("pobj", "pcomp")
    )


def _multiword_fits(tok: Token, before: list[str], after: list[str]) -> bool:
    """Whether the words of a multi-word verb ("ask for", "wire tap") are there."""
    if after:
        near = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep", "advmod")}
        near |= {t.lower_ for t in tok.doc[tok.i + 1 : tok.i + 1 + len(after)]}
        if not all(w in near for w in after):
            return False
    if before:
        prior = {t.lower_ for t in tok.doc[max(0, tok.i - len(before)) : tok.i]}
        if not all(w in prior for w in before):
            return False
    return True


@functools.cache
def load_verb_dictionary(path: str | None = None) -> VerbDictionary:
    """The packaged verb dictionary (cached).

    Args:
        path: Another ``verbs.json.gz`` to read; the packaged one by default.
    """
    source = Path(path) if path else DATA_DIR / "verbs.json.gz"
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        return VerbDictionary(json.load(fh))
