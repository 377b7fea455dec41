"""Pure-Python look inside a PDF (no poppler needed): which fonts are embedded and which
characters their ToUnicode maps can give back when the text is extracted."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator


def _chunks(pdf: bytes) -> Iterator[bytes]:
    yield pdf
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        data = pdf[match.end() : end]
        try:
            yield zlib.decompressobj().decompress(data)
        except zlib.error:
            yield data


def embedded_fonts(pdf: bytes) -> set[str]:
    """Subset font names without the six-letter tag, e.g. {"LifecareerKR-119", ...}."""
    names: set[str] = set()
    for chunk in _chunks(pdf):
        names |= {m.decode() for m in re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/<>\[\]()]+)", chunk)}
    return names


def extractable_chars(pdf: bytes) -> set[str]:
    chars: set[str] = set()
    for chunk in _chunks(pdf):
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", chunk, re.S):
            for _src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                chars.update(bytes.fromhex(dst.decode()).decode("utf-16-be"))
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", chunk, re.S):
            for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                base = int(dst, 16)
                chars.update(chr(base + i) for i in range(int(high, 16) - int(low, 16) + 1))
    return chars
