"""Reading back the PDFs core/pdf.py makes.

Pure Python (no poppler needed): which fonts are embedded and which characters their
ToUnicode maps can give back. With poppler-utils and Tesseract (`make browsers` installs
them): the extracted text, page 1 as a PNG, and the Korean text OCR reads off that image.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path


def chunks(pdf: bytes) -> Iterator[bytes]:
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
    for chunk in chunks(pdf):
        names |= {m.decode() for m in re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/<>\[\]()]+)", chunk)}
    return names


def extractable_chars(pdf: bytes) -> set[str]:
    chars: set[str] = set()
    for chunk in chunks(pdf):
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", chunk, re.S):
            for _src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                chars.update(bytes.fromhex(dst.decode()).decode("utf-16-be"))
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", chunk, re.S):
            for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                base = int(dst, 16)
                chars.update(chr(base + i) for i in range(int(high, 16) - int(low, 16) + 1))
    return chars


def has_poppler() -> bool:
    return shutil.which("pdftoppm") is not None and shutil.which("pdftotext") is not None


def has_korean_ocr() -> bool:
    if shutil.which("tesseract") is None:
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    return "kor" in langs.split()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text pdftotext reads, with runs of white space made single spaces."""
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(text.split())


def first_page_png(pdf: bytes, tmp_path: Path, dpi: int = 150) -> Path:
    """Page 1 rendered to PNG by poppler: what a person would see."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    return tmp_path / "page.png"


def ink_ratio(png: Path) -> float:
    """Share of the page's pixels that are not near-white."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
        return sum(histogram[:200]) / (grey.width * grey.height)


def ocr_korean(png: Path) -> str:
    """The text Tesseract reads from the image (Korean model), white space removed, so a
    test compares what is drawn, not what the PDF's ToUnicode maps claim."""
    text = subprocess.run(["tesseract", str(png), "-", "-l", "kor"], capture_output=True, check=True, text=True).stdout
    return "".join(text.split())
