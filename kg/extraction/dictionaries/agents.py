"""Agent words (PETRARCH2 ``Phoenix.agents.txt``) -> CAMEO sector codes.

"soldiers" is ``~MIL``, "police" ``~COP``, "rebels" ``~REB``, "officials" ``~GOV``: the
``~`` before a code appends it to the actor's country ("Colombian soldiers" -> ``COLMIL``),
after it puts it first (``NGO~``).
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "petrarch"
MAX_WORDS = 5


@dataclass(frozen=True, slots=True)
class AgentCode:
    """A sector code found in a phrase.

    Attributes:
        code: The code without ``~`` ("MIL", "GOVPRS", "NGO").
        prefix: Whether it goes before the country code (``NGO~``) rather than after.
        start: Index of the first matched word.
        end: Index after the last matched word.
    """

    code: str
    prefix: bool
    start: int
    end: int

    @property
    def sector(self) -> str:
        """The first three letters: the CAMEO sector ("GOVPRS" -> "GOV")."""
        return self.code[:3]


class AgentDictionary:
    """Agent phrases (lower case, singular and plural) and their codes.

    Args:
        table: Phrase -> code as stored (``"~MIL"``, ``"NGO~"``).
    """

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def find(self, words: list[str]) -> list[AgentCode]:
        """Agent phrases among lower-case words, longest first, left to right."""
        found: list[AgentCode] = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                raw = self.table.get(" ".join(words[i : i + n]))
                if raw:
                    prefix = raw.endswith("~")
                    found.append(AgentCode(raw.strip("~"), prefix, i, i + n))
                    i += n
                    break
            else:
                i += 1
        return found

    def sector_of(self, words: list[str]) -> AgentCode | None:
        """The agent the phrase is about: the last one found (the head comes last)."""
        found = self.find(words)
        return found[-1] if found else None


@functools.cache
def load_agents(path: str | None = None) -> AgentDictionary:
    """The packaged agent dictionary (cached).

    Args:
        path: Another ``agents.json.gz``; the packaged one by default.
    """
    source = Path(path) if path else DATA_DIR / "agents.json.gz"
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        return AgentDictionary(json.load(fh))
