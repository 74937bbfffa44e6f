"""CAMEO actor codes for names and noun phrases.

A code is a country (``COL``), optionally followed by a sector (``COLGOV``, ``COLMIL``,
``COLREB``), or an international or non-state actor (``IGOUNO``, ``COLREB`` for the ELN).
Sources, in PETRARCH2's dictionaries (see ``kg/extraction/data/petrarch/README.md``):

* actor names and synonyms ("Colombia", "Colombian", "FARC", "United Nations");
* leaders with date ranges ("Juan Manuel Santos": ``COLGOV`` from 2010-09-01): an entry
  counts only when the publication date falls within its range. The lists are from about
  2015, so an open range of a post (government, military, party...) ends at
  :data:`VINTAGE`; out of its range a leader keeps only the country, and the sector comes
  from the text ("former president", "opposition leader"). Without a publication date the
  latest entry applies. A post the text names ("President X", "former minister X") wins
  over the entry's;
* agent words ("soldiers" ``~MIL``, "officials" ``~GOV``, see :mod:`.agents`), which give a
  country-only actor its sector ("Colombian soldiers" -> ``COLMIL``) and a bare agent its
  code ("officials" -> ``GOV``).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kg.extraction.dictionaries.agents import AgentCode, AgentDictionary, load_agents

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "petrarch"
VINTAGE = date(2015, 12, 31)  # open-ended leader ranges stop here
MAX_WORDS = 8
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-.&]*")
_ARTICLES = frozenset({"the", "a", "an"})
# Sectors of a post someone holds for a time (leaders' entries).
_POSTS = frozenset({"GOV", "ELI", "MIL", "LEG", "JUD", "OPP", "PTY", "COP", "SPY"})


@dataclass(frozen=True, slots=True)
class ActorCode:
    """The CAMEO code of a participant or entity.

    Attributes:
        code: The full code ("COLMIL", "COLREB", "GOV").
        country: The country or international part ("COL", "IGO"), if any.
        sector: The sector ("GOV", "MIL", "REB", "COP", "OPP"...), if any.
        dated: Whether a leader's date range decided it.
    """

    code: str
    country: str | None
    sector: str | None
    dated: bool = False


def cased_words(text: str) -> list[tuple[str, bool]]:
    """Lower-case words of a phrase and whether each was capitalised in the text.

    Possessives and a leading article are dropped.
    """
    plain = text.replace("\u2019", "'").replace("'s ", " ").replace("'S ", " ")
    plain = plain[:-2] if plain.lower().endswith("'s") else plain
    out: list[tuple[str, bool]] = []
    for raw in _WORD.findall(plain):
        w = raw.lower()
        w = w if re.fullmatch(r"(?:[a-z]\.)+", w) else w.rstrip(".")
        if w:
            out.append((w, raw[:1].isupper()))
    while out and out[0][0] in _ARTICLES:
        out = out[1:]
    return out


def words_of(text: str) -> list[str]:
    """Lower-case words of a phrase, possessives and a leading article dropped."""
    return [w for w, _ in cased_words(text)]


def _split(code: str) -> tuple[str | None, str | None]:
    """``COLGOVPRS`` -> ("COL", "GOV"); ``GOV`` alone -> (None, "GOV")."""
    country = code[:3] if len(code) >= 3 else None
    sector = code[3:6] or None
    return country, sector


class ActorCoder:
    """Codes names and phrases with the packaged actor and agent dictionaries.

    Args:
        actors: Name -> entries ``[code, from, to, qualifier]`` (dates YYYYMMDD, 0 = open).
        agents: The agent dictionary.
        vintage: The date open-ended ranges stop at.
    """

    def __init__(
        self, actors: dict[str, list[Any]], agents: AgentDictionary, vintage: date = VINTAGE
    ) -> None:
        self.actors = actors
        self.agents = agents
        self.vintage = int(vintage.strftime("%Y%m%d"))

    def _resolve(
        self, entries: list[Any], published: date | None, countries: set[str]
    ) -> tuple[str, bool, bool] | None:
        """(code, decided by a date range, stale) for a name's entries."""
        dated = [e for e in entries if e[1] or e[2]]
        undated = [e for e in entries if not e[1] and not e[2]]
        if published is not None:
            day = int(published.strftime("%Y%m%d"))
            for code, start, end, _ in dated:
                # A post ("COLGOV since 2010") ends with the lists; a group's existence not.
                last = end or (self.vintage if str(code)[3:6] in _POSTS else 99991231)
                if start <= day <= last:
                    return str(code), True, False
        elif dated and not undated:
            return str(max(dated, key=lambda e: e[1])[0]), True, False
        if undated:
            qualified = [e for e in undated if e[3] and e[3] in countries]
            pick = qualified[0] if qualified else min(undated, key=lambda e: len(e[0]))
            return str(pick[0]), False, False
        if dated:
            latest = max(dated, key=lambda e: e[1])
            return str(latest[0])[:3], False, True
        return None

    def find_actor(
        self, cased: list[tuple[str, bool]], published: date | None, countries: set[str]
    ) -> tuple[str, bool, bool, int] | None:
        """The last actor name among the words: (code, dated, stale, start index).

        A name must have a capitalised word in the text: "nation" or "car" in lower case is
        an ordinary word, not a dictionary entry (Georgia's "NATION", the "CAR").
        """
        words = [w for w, _ in cased]
        found: tuple[str, bool, bool, int] | None = None
        i = 0
        while i < len(words):
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                entries = self.actors.get(" ".join(words[i : i + n]))
                if entries and any(cap for _, cap in cased[i : i + n]):
                    resolved = self._resolve(entries, published, countries)
                    if resolved is not None:
                        found = (*resolved, i)
                    i += n
                    break
            else:
                i += 1
        return found

    def code(
        self,
        text: str,
        published: date | None = None,
        countries: Iterable[str] = (),
    ) -> ActorCode | None:
        """The code of a name or noun phrase; None when the dictionaries know none of it.

        Args:
            text: The name or phrase ("Colombian soldiers", "the ELN", "Juan Manuel Santos").
            published: The article's publication date (decides leaders' codes).
            countries: Lower-case country names of the article (pick among homonyms:
                "National Liberation Army" of Colombia or of Bolivia).
        """
        cased = cased_words(text)
        words = [w for w, _ in cased]
        if not words:
            return None
        actor = self.find_actor(cased, published, {c.lower() for c in countries})
        agent: AgentCode | None = self.agents.sector_of(words)
        if actor is None:
            if agent is None:
                return None
            return ActorCode(agent.code, None, agent.sector)
        code, dated, stale, _ = actor
        # The text wins over a person's entry: "President X" is GOV whatever X's entry says.
        if agent is not None and (len(code) <= 3 or stale or code[3:6] in _POSTS):
            nation = code[:3]
            full = agent.code + nation if agent.prefix else nation + agent.code
            return ActorCode(full, nation, agent.sector)
        country, sector = _split(code)
        return ActorCode(code, country, sector, dated)

    def code_any(
        self, names: Iterable[str], published: date | None = None, countries: Iterable[str] = ()
    ) -> ActorCode | None:
        """The first code among several names (an entity's name, then its aliases)."""
        wanted = list(countries)
        for name in names:
            found = self.code(name, published, wanted)
            if found is not None:
                return found
        return None


@functools.cache
def load_actor_coder(path: str | None = None) -> ActorCoder:
    """The packaged actor coder (cached).

    Args:
        path: Another ``actors.json.gz``; the packaged one by default.
    """
    source = Path(path) if path else DATA_DIR / "actors.json.gz"
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        return ActorCoder(json.load(fh), load_agents())
