"""JSON Lines input, split and decoded the way the format defines it, one line at a time.

JSON Lines separates records with ``\\n`` and nothing else. ``str.splitlines`` and files
opened in text mode also split on ``\\r``, U+2028, U+2029, ``\\x1c``..., which are legal
inside a JSON string: a record holding one was cut in two and the line numbers after it
shifted. And decoding a whole file at once let one bad byte reject every record; decoded
line by line, a line that is not UTF-8 is one rejected record and the others are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.core.errors import ArticleParseError

_BOM = "\ufeff"

TOO_DEEP = "nested too deeply to parse"
"""Why a JSON text is refused that Python's parser, which recurses once per level, cannot read
(``[[[[...``): it raises ``RecursionError``, not ``JSONDecodeError``."""


def numbered_lines(
    lines: Iterable[str | bytes], source: str
) -> Iterator[tuple[int, str | ArticleParseError]]:
    """Number the lines of a JSON Lines input from 1 and decode them.

    Args:
        lines: The lines, already split on ``\\n`` only: ``data.split(b"\\n")``, a file
            opened in binary mode (``sys.stdin.buffer``), or a list of strings. Never a
            text-mode file: it splits on ``\\r`` too.
        source: The input's name, for error messages.

    Yields:
        ``(number, text)`` with the line ending (``\\n``, ``\\r\\n``) and a leading byte
        order mark removed, or ``(number, error)`` for a line that is not UTF-8.
    """
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield (
                    number,
                    ArticleParseError(
                        source,
                        f"the line is not UTF-8 (byte {exc.start + 1} is {line[exc.start]:#04x})",
                        line=number,
                    ),
                )
                continue
        else:
            text = line
        if number == 1:
            text = text.removeprefix(_BOM)
        yield number, text.removesuffix("\n").removesuffix("\r")
