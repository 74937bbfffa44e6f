"""Main-text extraction: trafilatura against the hand-written furniture rules, same pages.

Pages:

* ``tests/data/pages/*.html``: made-up news pages with menus, share bars, related links,
  newsletter boxes, comments and footers around one article (one is windows-1252),
  each with its hand-written main text in ``*.gold.txt``;
* ``seeds/*.txt`` rendered as the page it was scraped from would read without markup:
  every line a ``<p>``, the headline an ``<h1>``. Its gold is the text between the
  ``Published`` date line and the site's closing "Editorial Context" block.

Extractors, given the same decoded HTML:

* ``rules``: the HTML's text (scripts and styles dropped, block elements as line
  breaks), then :func:`kg.ingest.furniture.strip_boilerplate`, the line rules newskg
  used for everything;
* ``trafilatura``: :func:`kg.feeds.pages.extract_page`, what ``kg watch`` uses for pages.

For reference, ``rules on seed text`` is :func:`kg.ingest.parsing.parse_seed_text` on
the seed file itself, the format those rules were written for.

Scores are over word tokens (multisets): precision = extracted words that are in the
gold / extracted words; recall = gold words extracted / gold words; F1.

Run: ``.venv/bin/python bench/furniture.py``.
"""

from __future__ import annotations

import html
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kg.feeds.fetch import decode
from kg.feeds.pages import extract_page
from kg.ingest.furniture import strip_boilerplate
from kg.ingest.parsing import parse_seed_text

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "data" / "pages"
SEEDS = ROOT / "seeds"
_DATE_LINE = re.compile(r"^[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}$")
_WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.casefold()))


def score(extracted: str, gold: str) -> tuple[float, float, float]:
    got, want = words(extracted), words(gold)
    overlap = sum((got & want).values())
    precision = overlap / max(1, sum(got.values()))
    recall = overlap / max(1, sum(want.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def html_text(page: str) -> str:
    """What a tag-stripper sees: text, with block elements as line breaks."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(page)
    for junk in root.xpath("//script|//style|//noscript|//head"):
        junk.drop_tree()
    blocks = "p|div|li|h1|h2|h3|h4|header|footer|nav|section|article|aside|ul|ol|br|tr"
    for element in root.xpath("|".join(f"//{tag}" for tag in blocks.split("|"))):
        element.tail = "\n\n" + (element.tail or "")
    return str(root.text_content())


def rules(page: str) -> str:
    return strip_boilerplate(html_text(page))


def trafilatura(page: str) -> str:
    content = extract_page(page, "https://example.org/article")
    return content.text if content else ""


def seed_gold(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if _DATE_LINE.match(line)) + 1
    end = next(i for i, line in enumerate(lines) if line.lower().startswith("editorial context"))
    return "\n\n".join(line for line in lines[start:end] if line)


def seed_page(text: str) -> str:
    lines = [html.escape(line.strip()) for line in text.splitlines() if line.strip()]
    body = "\n".join(f"<p>{line}</p>" for line in lines[1:])
    return (
        f"<html><head><title>{lines[0]}</title></head>"
        f"<body><h1>{lines[0]}</h1>\n{body}</body></html>"
    )


def main() -> int:
    cases: list[tuple[str, str, str]] = []  # (name, html, gold)
    for path in sorted(PAGES.glob("*.html")):
        gold = (path.with_suffix("").with_suffix(".gold.txt")).read_text(encoding="utf-8")
        cases.append((path.stem, decode(path.read_bytes()), gold))
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        cases.append((f"seed {path.stem}", seed_page(raw), seed_gold(raw)))

    extractors: dict[str, Callable[[str], str]] = {"rules": rules, "trafilatura": trafilatura}
    totals: dict[str, list[float]] = {name: [0.0, 0.0, 0.0] for name in extractors}
    print(f"{'page':<28} {'extractor':<12} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, page, gold in cases:
        for label, extract in extractors.items():
            p, r, f = score(extract(page), gold)
            totals[label] = [a + b for a, b in zip(totals[label], (p, r, f), strict=True)]
            print(f"{name:<28} {label:<12} {p:>9.3f} {r:>7.3f} {f:>6.3f}")
    print()
    for label, (p, r, f) in totals.items():
        n = len(cases)
        print(f"{'macro mean':<28} {label:<12} {p / n:>9.3f} {r / n:>7.3f} {f / n:>6.3f}")
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        p, r, f = score(parse_seed_text(raw, str(path)).body, seed_gold(raw))
        print(f"{'rules on seed text':<28} {path.stem[:12]:<12} {p:>9.3f} {r:>7.3f} {f:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
