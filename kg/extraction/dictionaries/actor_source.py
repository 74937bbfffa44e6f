"""Reading PETRARCH2's actor and agent dictionaries into compact JSON-ready data.

Build-time only. Actor records are a primary phrase, ``+synonym`` lines and tab-indented
date restrictions (``[COLGOV 020807-100807]``, ``[USAGOV >090120]``, ``[AFGELI <331108]``,
``[AFGELI]``). Dates are ``YYYYMMDD`` or ``YYMMDD``. A parenthesised part of a name is a
qualifier when it names a country ("NATIONAL_LIBERATION_ARMY_(COLOMBIA)_") and an alias
otherwise ("IRISH_REPUBLICAN_ARMY_(IRA)_").
"""

from __future__ import annotations

import re
from typing import Any

from kg.extraction.dictionaries.verb_source import phrase, plural

_CODE = re.compile(r"\[([^\]]*)\]")


def parse_date(text: str) -> int:
    """``"020807"`` -> 20020807; ``"19450703"`` -> 19450703 (two-digit years <= 30 are 20xx)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) not in (6, 8):
        return 0  # a malformed or missing date leaves that end open
    if len(digits) == 6:
        year = int(digits[:2])
        digits = ("20" if year <= 30 else "19") + digits
    return int(digits)


def parse_restriction(text: str) -> list[Any]:
    """``"COLGOV 020807-100807"`` -> ["COLGOV", 20020807, 20100807]; open ends are 0."""
    parts = text.split(maxsplit=1)
    code = parts[0]
    if len(parts) == 1:
        return [code, 0, 0]
    span = parts[1].replace(" ", "")
    if span.startswith("<"):
        return [code, 0, parse_date(span[1:])]
    if span.startswith(">"):
        return [code, parse_date(span[1:]), 0]
    start, _, end = span.partition("-")
    return [code, parse_date(start), parse_date(end)]


def _names(raw: str) -> tuple[list[str], str | None]:
    """Names of one phrase and its parenthesised part: (["irish republican army", "ira"], None)."""
    paren = re.search(r"\(([^)]*)\)", raw)
    base = phrase(re.sub(r"\([^)]*\)", " ", raw).replace("_-_", " "))
    inner = phrase(paren.group(1)) if paren else None
    return [base] if base else [], inner


def read_actors(texts: list[str]) -> dict[str, list[list[Any]]]:
    """Actor name -> candidate entries ``[code, from, to, qualifier]`` over several files.

    An entry with from = to = 0 is undated (the default code). ``qualifier`` is the country
    name a parenthesis gave, or "".
    """
    records: list[tuple[list[tuple[list[str], str | None]], list[list[Any]]]] = []
    for text in texts:
        names: list[tuple[list[str], str | None]] = []
        codes: list[list[Any]] = []
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].split(";", 1)[0].rstrip()
            if not line.strip():
                continue
            if raw.startswith(("\t", " ")) and line.strip().startswith("["):
                for m in _CODE.finditer(line):
                    codes.append(parse_restriction(m.group(1)))
                continue
            is_synonym = line.startswith("+")
            if not is_synonym and names:
                records.append((names, codes))
                names, codes = [], []
            primary = _CODE.search(line)
            if primary:
                codes.append(parse_restriction(primary.group(1)))
            name = _CODE.sub(" ", line.lstrip("+")).strip().split()
            if name:
                names.append(_names(name[0]))
        if names:
            records.append((names, codes))
    countries = {
        n
        for names, codes in records
        for ns, _ in names
        for n in ns
        if any(len(c[0]) == 3 for c in codes)
    }
    table: dict[str, list[list[Any]]] = {}
    for names, codes in records:
        if not codes:
            continue
        for base, inner in names:
            qualifier = inner if inner in countries else ""
            aliases = list(base) + ([inner] if inner and not qualifier else [])
            for alias in aliases:
                entries = table.setdefault(alias, [])
                for code, start, end in codes:
                    entry = [code, start, end, qualifier or ""]
                    if entry not in entries:
                        entries.append(entry)
    return table


def read_agents(text: str) -> dict[str, str]:
    """Agent phrase (singular and plural) -> code (``"~MIL"`` suffix, ``"NGO~"`` prefix)."""
    subs: dict[str, list[str]] = {}
    table: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<!--"):
            continue
        sub = re.match(r"^(![A-Z]+!)\s*=\s*(.*)$", line)
        if sub:
            subs[sub.group(1)] = [s.strip() for s in sub.group(2).split(",") if s.strip()]
            continue
        m = re.search(r"\[([^\]}]*)[\]}]", line)
        if not m:
            continue
        code = m.group(1).strip()
        head = line[: m.start()]
        irregular = re.search(r"\{([^}]*)\}", head)
        stem = re.sub(r"\{[^}]*\}", " ", head).strip()
        if not stem:
            continue
        forms: list[str] = []
        marker = next((s for s in subs if s in stem), None)
        if marker:
            forms = [stem.replace(marker, s) for s in subs[marker]]
        else:
            forms = [stem]
            if irregular is not None:
                forms += irregular.group(1).split()
            elif not stem.endswith("_"):
                forms.append(plural(stem.rstrip("_")))
        for form in forms:
            words = phrase(form)
            if words and words not in table:
                table[words] = code
    return table
