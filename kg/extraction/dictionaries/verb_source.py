"""Reading PETRARCH2's verb dictionary (``CAMEO.2.0.txt``) into compact JSON-ready data.

Build-time only: the runtime reads the JSON written by :mod:`.build`. The format is the
one documented in PETRARCH2's ``dictionaries.rst``:

* synonym sets: ``&LABEL`` followed by ``+WORD`` lines (underscores join words; plurals are
  generated unless the label or the phrase ends with ``_``);
* verb blocks: ``--- NAME [CODE] ---``, then verbs (``WORD {IRREGULAR FORMS} [CODE]``,
  multi-word verbs mark the verb with ``+``: ``+ASK_FOR``, ``WIRE_+TAP``) and patterns
  ``- PRE * POST [CODE] # VERB``, where ``$`` marks the source, ``+`` the target, ``{A B}``
  a noun phrase (head last), ``(PREP X)`` a prepositional phrase and ``&LABEL`` a synset.

Output shapes (lists keep the files small):

* pattern: ``[pre, post, code, alt]``; ``code`` is the CAMEO code from source to target (or
  None), ``alt`` the one from target to source (``[042:043]``, ``[:173]``);
* element: ``["n", words]`` (noun phrase, head last), ``["p", prep, elements]``
  (prepositional phrase), ``["s"]`` (source), ``["t"]`` (target).
"""

from __future__ import annotations

import re
from typing import Any

_CODE = re.compile(r"\[([^\]]*)\]")
_BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")


def plural(word: str) -> str:
    """The regular plural of an upper- or lower-case English noun."""
    low = word.lower()
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + ("ies" if word.islower() else "IES")
    if low.endswith(("ss", "sh", "ch", "x")):
        return word + ("es" if word.islower() else "ES")
    return word + ("s" if word.islower() else "S")


def phrase(text: str) -> str:
    """A dictionary phrase as lower-case words separated by single spaces."""
    return " ".join(text.replace("_", " ").lower().split())


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def _codes(text: str) -> tuple[str | None, str | None]:
    """``"190"`` -> ("190", None); ``"042:043"`` -> both; ``":173"`` -> (None, "173")."""
    text = text.strip()
    main, _, alt = text.partition(":")
    norm = [c.strip() if c.strip() and not c.strip().startswith("-") else None for c in (main, alt)]
    return norm[0], norm[1]


def _tokens(body: str) -> list[str]:
    """Split a pattern body into tokens, keeping ``{...}`` groups and parentheses apart."""
    return list(re.findall(r"\{[^}]*\}|\(|\)|[^\s(){}]+", body))


def _elements(tokens: list[str]) -> list[Any]:
    """Pattern elements from tokens (parentheses become prepositional elements)."""
    out: list[Any] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "(":
            depth, j = 1, i + 1
            while j < len(tokens) and depth:
                depth += {"(": 1, ")": -1}.get(tokens[j], 0)
                j += 1
            inner = tokens[i + 1 : j - 1]
            if inner:
                out.append(["p", inner[0].lower(), _elements(inner[1:])])
            i = j
            continue
        if tok == ")":
            i += 1
            continue
        if tok == "$":
            out.append(["s"])
        elif tok == "+":
            out.append(["t"])
        elif tok in ("^", "%"):
            pass  # "any words here" / compound actor: no constraint we check
        elif tok.startswith("{"):
            words = [w.lower() if not w.startswith("&") else w for w in tok[1:-1].split()]
            words = [w for w in words if w not in ("^", "$", "+")]
            if words:
                out.append(["n", words])
        else:
            out.append(["n", [tok if tok.startswith("&") else tok.lower().replace("_", " ")]])
        i += 1
    return out


def parse_pattern(line: str) -> list[Any] | None:
    """One ``- PRE * POST [CODE]`` line as ``[pre, post, code, alt]``; None if malformed."""
    body = _strip_comment(line)[1:]
    found = list(_CODE.finditer(body))
    if not found:
        return None
    code, alt = _codes(found[-1].group(1))
    body = body[: found[-1].start()]
    if "*" not in body:
        return None
    pre, _, post = body.partition("*")
    return [_elements(_tokens(pre)), _elements(_tokens(post)), code, alt]


def _verb_entry(line: str) -> tuple[str, list[str], list[str], str | None] | None:
    """A verb line as (verb lemma, words before, words after, own code)."""
    text = _strip_comment(line)
    m = _CODE.search(text)
    code = _codes(m.group(1))[0] if m else None
    text = re.sub(r"\{[^}]*\}", " ", _CODE.sub(" ", text)).strip()
    if not text:
        return None
    words = text.split()[0].lower().strip("_").split("_")
    if text.startswith("+") or any(w.startswith("+") for w in words):
        idx = next(i for i, w in enumerate(words) if w.startswith("+"))
        words[idx] = words[idx][1:]
    else:
        idx = 0
        if len(words) > 1:
            return None  # unmarked multi-word "verbs" are noun phrases left over
    return words[idx], words[:idx], words[idx + 1 :], code


def read_verbs(text: str) -> dict[str, Any]:
    """Synsets, verbs and pattern blocks of a PETRARCH2 verb dictionary.

    Args:
        text: The content of ``CAMEO.2.0.txt``.

    Returns:
        ``{"synsets": {label: [phrases]}, "verbs": {lemma: [[block, before, after, code]]},
        "blocks": [[name, code, patterns]]}``.
    """
    synsets: dict[str, list[str]] = {}
    verbs: dict[str, list[Any]] = {}
    blocks: list[list[Any]] = []
    label: str | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            label = None if not line.strip() else label
            continue
        if line.startswith("&"):
            label = _strip_comment(line).strip()
            synsets[label] = []
            continue
        if label is not None and line.startswith("+"):
            entry = _strip_comment(line)[1:].strip()
            if not entry:
                continue
            words = phrase(entry)
            synsets[label].append(words)
            if not label.endswith("_") and not entry.endswith("_"):
                synsets[label].append(plural(words))
            continue
        label = None
        block = _BLOCK.match(line)
        if block:
            blocks.append([block.group(1).lower(), _codes(block.group(2))[0], []])
            continue
        if not blocks or line.startswith("~"):
            continue
        if line.startswith("-"):
            pattern = parse_pattern(line)
            if pattern is not None:
                blocks[-1][2].append(pattern)
            continue
        entry_v = _verb_entry(line)
        if entry_v is not None:
            lemma, before, after, code = entry_v
            verbs.setdefault(lemma, []).append([len(blocks) - 1, before, after, code])
    clean = {k.rstrip("_"): sorted(set(v)) for k, v in synsets.items()}
    blocks = [[n, c, _rename_synsets(p)] for n, c, p in blocks]
    return {"synsets": clean, "verbs": verbs, "blocks": blocks}


def _rename_synsets(value: Any) -> Any:
    """Synset references without the trailing ``_`` of their label."""
    if isinstance(value, list):
        return [_rename_synsets(v) for v in value]
    if isinstance(value, str) and value.startswith("&"):
        return value.rstrip("_")
    return value


def read_plover(text: str) -> dict[str, list[str]]:
    """CAMEO code -> [PLOVER type, mode] from ``CAMEO2PLOVER-2021.txt``.

    CAMEO 01 (public statements) has no PLOVER category and stays out; CAMEO 02 (appeals)
    is missing from the table and becomes REQUEST, as in the PLOVER manual.
    """
    table: dict[str, list[str]] = {"02": ["REQUEST", ""]}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(\d+):\s*(.*)$", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        if parts and parts[0]:
            table[m.group(1)] = [parts[0], parts[1] if len(parts) > 1 else ""]
    return table
