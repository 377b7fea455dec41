#!/usr/bin/env python3
"""Build the static front-end assets of lifecareer from pinned npm packages.

    cd frontend && npm ci && pip install -r requirements.txt && python3 build.py

Writes (all committed, so the Django app needs no Node at run time):

  lifecareer/static/lifecareer/css/krds-subset.css   used KRDS partials, minified
  lifecareer/static/lifecareer/img/krds/*.svg        only the icons that CSS references
  lifecareer/static/lifecareer/css/fonts.css         @font-face + unicode-range blocks
  lifecareer/static/lifecareer/fonts/*.woff2         Pretendard GOV 400 + 700 subsets
  lifecareer/static/lifecareer/LICENSE-krds.txt      KRDS licence notice
  lifecareer/static/lifecareer/fonts/LICENSE-OFL.txt Pretendard GOV licence

app.css and app.js are hand-written and not touched here.

Options:
  --css-only     skip the (slow, ~1 min) font step
  --check        build into a temp dir and fail if the committed files differ
"""

from __future__ import annotations

import argparse
import filecmp
import functools
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NM = HERE / "node_modules"
KRDS = NM / "krds-uiux"
PRETENDARD = NM / "pretendard-gov"
STATIC_REL = Path("lifecareer/static/lifecareer")

# Font weights we ship (KRDS only uses --krds-font-weight-regular/bold = 400/700).
FONT_WEIGHTS = {"400": "Regular", "700": "Bold"}
FONT_FAMILY = "Pretendard GOV"  # the name KRDS's --krds-typo-font-type token uses
# The core chunk (preloaded by base.html, so no later page needs another) holds the
# service's own characters plus the syllables of pretendard-gov's frequency chunks
# CORE_MIN_CHUNK..118 (see font_chunks).  108: ~1,200 code points, ~95 KB per weight;
# a lower number covers more of what people type but weighs on the first visit.
CORE_MIN_CHUNK = 108
RARE_MIN_CHARS = 100  # rare chunks are merged up to this many code points

# Parts of the KRDS partials we include but never use.  A selector that matches
# any of these is dropped; a rule whose selectors are all dropped goes away.
# Keep this list conservative: only sub-features that need KRDS's JS or that the
# service has no use for.
DROP_SELECTORS = [
    r"calendar",  # date picker (needs KRDS JS)
    r"datepicker",
    r"\.sch-",  # search bar
    r"keyword-sch",
    r"\.btn-ico-wrap",  # icon buttons inside inputs
    r"btn-delete-input",
    r"\.krds-form-select-sort",
    r"#wrap",  # KRDS scroll-hide header behaviour (needs KRDS JS)
    r"\.is-gnb-",  # KRDS main menu (not shipped)
    r"hasScrollY",
    r"\.foot-quick",  # footer "related sites" bar
    r"\.footer-banner",
    r"\.f-logo",  # KRDS logo image
    r"\.link-sns",
    r"\.f-cs\b",
    r"\.info-cs",
    r"\.krds-identifier",
    r"\.btn-navi",  # header icon buttons (login/search/all-menu)
    r"\.my-drop",
    r"\.header-utility",  # hidden below 1024px by KRDS; we use our own bar
    r"\.logo\b",  # KRDS logo image in header
    r"\.textarea-",  # textarea counter (needs KRDS JS)
    r"\.input-group\.range",
    r"\.krds-btn\.(?:play|stop|icon-only)\b",
]


def log(*a):
    print(*a, file=sys.stderr)


# --------------------------------------------------------------------------- CSS
def run_sass(entry: Path) -> str:
    sass = NM / ".bin" / "sass"
    if not sass.exists():
        sys.exit("node_modules/.bin/sass missing: run `npm ci` in frontend/ first")
    cmd = [
        str(sass),
        "--no-source-map",
        "--style=compressed",
        "--no-charset",
        f"--load-path={KRDS / 'resources' / 'scss'}",
        f"--load-path={KRDS / 'resources'}",
        "--quiet-deps",
        "--quiet",
        str(entry),
    ]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603


def _split_top(s: str, sep: str) -> list[str]:
    """Split on sep outside (), [] and strings."""
    out, depth, cur, q = [], 0, [], None
    for ch in s:
        if q:
            cur.append(ch)
            if ch == q:
                q = None
            continue
        if ch in "\"'":
            q = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


def parse_blocks(css: str):
    """Tiny parser for sass-compressed CSS: returns list of (prelude, body) where
    body is a str (declarations) or a list (nested blocks, for @media etc.),
    or (statement, None) for block-less at-rules."""
    i, n, items = 0, len(css), []
    while i < n:
        # read prelude up to { or ;
        j, q, depth = i, None, 0
        while j < n:
            ch = css[j]
            if q:
                if ch == q:
                    q = None
            elif ch in "\"'":
                q = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif depth == 0 and ch in "{;":
                break
            j += 1
        prelude = css[i:j].strip()
        if j >= n:
            if prelude:
                items.append((prelude, None))
            break
        if css[j] == ";":
            items.append((prelude, None))
            i = j + 1
            continue
        # find matching }
        k, depth, q = j + 1, 1, None
        while k < n and depth:
            ch = css[k]
            if q:
                if ch == q:
                    q = None
            elif ch in "\"'":
                q = ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            k += 1
        inner = css[j + 1 : k - 1]
        if prelude.startswith("@") and not prelude.startswith(("@font-face", "@page")):
            items.append((prelude, parse_blocks(inner)))
        else:
            items.append((prelude, inner))
        i = k
    return items


def serialize(items) -> str:
    out = []
    for pre, body in items:
        if body is None:
            out.append(pre + ";")
        elif isinstance(body, list):
            inner = serialize(body)
            if inner:
                out.append(pre + "{" + inner + "}")
        elif body.strip():
            out.append(pre + "{" + body + "}")
    return "".join(out)


def drop_selectors(items, pattern: re.Pattern):
    out = []
    for pre, body in items:
        if isinstance(body, list):
            out.append((pre, drop_selectors(body, pattern)))
        elif body is not None and not pre.startswith("@"):
            sels = [s for s in _split_top(pre, ",") if not pattern.search(s)]
            if sels:
                out.append((",".join(sels), body))
        else:
            out.append((pre, body))
    return out


def _clean_decls(body: str, used: set[str]) -> tuple[str, int]:
    kept, removed = [], 0
    for decl in _split_top(body, ";"):
        m = re.match(r"\s*(--[\w-]+)\s*:", decl)
        if m and m.group(1) not in used:
            removed += 1
        elif decl.strip():
            kept.append(decl)
    return ";".join(kept), removed


def _prune_once(items, used: set[str]) -> tuple[list, int]:
    out, removed = [], 0
    for pre, body in items:
        if isinstance(body, list):
            body, n = _prune_once(body, used)
        elif isinstance(body, str) and not pre.startswith("@font-face"):
            body, n = _clean_decls(body, used)
        else:
            n = 0
        removed += n
        out.append((pre, body))
    return out, removed


def prune_custom_properties(items, keep: set[str]) -> tuple[list, int]:
    """Remove declarations of custom properties that nothing var()s, repeat until
    stable (a token only used by a removed token goes too)."""
    removed_total = 0
    while True:
        used = set(re.findall(r"var\(\s*(--[\w-]+)", serialize(items))) | keep
        items, removed = _prune_once(items, used)
        removed_total += removed
        if not removed:
            return items, removed_total


def build_css(out_static: Path) -> None:
    entry = HERE / "src" / "krds-subset.scss"
    raw = run_sass(entry)
    items = parse_blocks(raw)
    items = drop_selectors(items, re.compile("|".join(f"(?:{p})" for p in DROP_SELECTORS)))
    # Keep every global design token (custom properties declared on :root, e.g.
    # --krds-light-color-text-basic, --krds-pc-font-size-heading-large,
    # --krds-gap-5) so app.css and later code can use any of them; prune the
    # high-contrast ones (that mode is dropped) and anything else nothing uses.
    keep = set()
    for pre, body in items:
        if pre == ":root" and isinstance(body, str):
            keep |= set(re.findall(r"(?:^|;)\s*(--[\w-]+)\s*:", body))
    keep = {k for k in keep if "high-contrast" not in k}
    items, n_removed = prune_custom_properties(items, keep)
    css = serialize(items)

    # Icons: copy only what is referenced, rewrite the URLs.
    icon_src = KRDS / "resources" / "img" / "component" / "icon"
    icon_dst = out_static / "img" / "krds"
    if icon_dst.exists():
        shutil.rmtree(icon_dst)
    icon_dst.mkdir(parents=True)
    names = sorted(set(re.findall(r"url\(\.\./img/component/icon/([\w-]+)\.svg\)", css)))
    for name in names:
        shutil.copyfile(icon_src / f"{name}.svg", icon_dst / f"{name}.svg")
    css = re.sub(r"url\(\.\./img/component/icon/([\w-]+)\.svg\)", r"url(../img/krds/\1.svg)", css)
    leftover = re.findall(r"url\((?!\.\./img/krds/)[^)]*\)", css)
    if leftover:
        sys.exit(f"unexpected url() left in KRDS CSS: {leftover[:5]}")

    version = json.loads((KRDS / "package.json").read_text())["version"]
    banner = (
        f"/*! KRDS (krds-uiux {version}) subset for lifecareer - generated by frontend/build.py, "
        "do not edit. Source: frontend/src/krds-subset.scss. Licence: see ../LICENSE-krds.txt */\n"
    )
    dst = out_static / "css" / "krds-subset.css"
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(banner + css + "\n", encoding="utf-8")
    log(
        f"krds-subset.css: {len(css)} bytes, {n_removed} unused custom properties pruned, "
        f"{len(names)} icons: {', '.join(names)}"
    )

    # KRDS licence notice: the package ships no LICENSE file; its package.json
    # says ISC and its README points to the KRDS terms of use.
    readme = (KRDS / "README.md").read_text(encoding="utf-8")
    m = re.search(r"## 저작권 및 라이선스.*", readme, re.S)
    lic = json.loads((KRDS / "package.json").read_text()).get("license", "")
    (out_static / "LICENSE-krds.txt").write_text(
        "KRDS - Korea Design System (npm package krds-uiux "
        f"{version})\n"
        "Parts of its CSS and icons are redistributed in css/krds-subset.css and img/krds/.\n\n"
        f"License field of the package (package.json): {lic}\n\n"
        "The package ships no separate licence file. Its README says:\n\n"
        + (m.group(0).strip() if m else "")
        + "\n",
        encoding="utf-8",
    )


# -------------------------------------------------------------------------- fonts
FACE_RE = re.compile(
    r"@font-face\s*\{[^}]*?font-weight:\s*(\d+);[^}]*?src:\s*url\(([^)]+)\)[^}]*?"
    r"unicode-range:\s*([^;]+);[^}]*\}",
    re.S,
)

# Code points we ship glyphs for.  Everything a Korean/English page needs; we
# leave out CJK ideographs (Hanja), kana and the like: they are rare on this
# service, would fall back to the system font, and dropping them shrinks both
# the font files and fonts.css (fewer, shorter unicode-range lists).
KEEP_RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 supplement, Latin extended A/B
    (0x02B0, 0x02FF),  # spacing modifier letters
    (0x0370, 0x03FF),  # Greek (α, β, μ in texts)
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2000, 0x2BFF),  # punctuation, super/subscripts, currency, letterlike,
    # number forms, arrows, math, technical, box, shapes, symbols
    (0x3000, 0x303F),  # CJK symbols and punctuation (「」《》 etc.)
    (0x3130, 0x318F),  # Hangul compatibility Jamo (ㄱ ㅏ ...)
    (0x3200, 0x32FF),  # enclosed CJK letters (㈜ ㉠ ...)
    (0xA960, 0xA97F),  # Hangul Jamo extended-A
    (0xAC00, 0xD7FF),  # Hangul syllables + Jamo extended-B
    (0xFF00, 0xFFEF),  # full-width forms
]


def _keep(cp: int) -> bool:
    return any(a <= cp <= b for a, b in KEEP_RANGES)


def _parse_range(r: str) -> set[int]:
    cps = set()
    for part in r.split(","):
        part = part.strip()[2:]
        if "-" in part:
            a, b = part.split("-")
            cps.update(range(int(a, 16), int(b, 16) + 1))
        else:
            cps.add(int(part, 16))
    return cps


def _format_range(cps: set[int]) -> str:
    runs, cs = [], sorted(cps)
    a = b = cs[0]
    for c in cs[1:]:
        if c == b + 1:
            b = c
        else:
            runs.append((a, b))
            a = b = c
    runs.append((a, b))
    return ",".join(f"U+{a:x}" if a == b else f"U+{a:x}-{b:x}" for a, b in runs)


@functools.cache
def _sfnt(src: Path) -> bytes:
    """The font decompressed once: subsetting ~100 chunks from plain sfnt bytes is quick."""
    from fontTools.ttLib import TTFont

    font = TTFont(src, recalcTimestamp=False)
    font.flavor = None
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _subset_woff2(src: Path, cps: set[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["*"]  # keep kerning, ligatures, etc.
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    opts.name_languages = [0x409]
    opts.glyph_names = False  # post table format 3
    opts.drop_tables += ["vhea", "vmtx", "DSIG"]  # no vertical text on the web
    opts.notdef_outline = True
    font = TTFont(io.BytesIO(_sfnt(src)), recalcTimestamp=False)  # reproducible output
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=cps)
    subsetter.subset(font)
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def font_chunks() -> tuple[set[int], list[tuple[int, set[int]]]]:
    """(core, rare): the code points of the core chunk, and the rare chunks as
    (number, code points), most frequent first.  Same for both weights, so that the
    regular and bold file of a chunk share one unicode-range (core/pdf.py relies on it).

    pretendard-gov's dynamic subset numbers its chunks 0..119 with the most frequent
    characters in the highest numbers (119 = Latin and basic punctuation, 118 = the ~100
    most common syllables, ...).  The core holds chunk 119, every character of the
    service's own text (frontend/site_chars.py) and the syllables of chunks
    CORE_MIN_CHUNK..118; the rest keeps pretendard's frequency order, merged into
    chunks of at least RARE_MIN_CHARS code points."""
    sys.path.insert(0, str(HERE))
    from fontTools.ttLib import TTFont
    from site_chars import site_chars

    src_dir = PRETENDARD / "dist" / "web" / "static"
    css_in = (src_dir / "pretendard-gov-dynamic-subset.css").read_text(encoding="utf-8")
    faces = [(w, u.strip("'\""), r.strip()) for w, u, r in FACE_RE.findall(css_in)]
    if not faces:
        sys.exit("no @font-face blocks found in pretendard-gov-dynamic-subset.css")
    # Code points every shipped weight has a glyph for.
    cmap = set.intersection(
        *(set(TTFont(src_dir / "woff2" / f"PretendardGOV-{name}.woff2").getBestCmap()) for name in FONT_WEIGHTS.values())
    )
    bands: dict[int, set[int]] = {}
    for weight, url, urange in faces:
        if weight == "400":
            idx = int(re.search(r"subset\.(\d+)\.woff2", url).group(1))
            bands[idx] = {c for c in _parse_range(urange) if _keep(c)} & cmap
    core = set(bands.get(119, set())) | ({ord(ch) for ch in site_chars()} & cmap)
    for idx, cps in bands.items():
        if CORE_MIN_CHUNK <= idx < 119:
            core |= cps
    core = {c for c in core if _keep(c)}
    rare: list[tuple[int, set[int]]] = []
    pending: set[int] = set()
    for idx in sorted(bands, reverse=True):
        pending |= bands[idx] - core
        if len(pending) >= RARE_MIN_CHARS:
            rare.append((len(rare) + 1, pending))
            pending = set()
    if pending:
        rare.append((len(rare) + 1, pending))
    return core, rare


def build_fonts(out_static: Path) -> None:
    src_dir = PRETENDARD / "dist" / "web" / "static" / "woff2"
    font_dst = out_static / "fonts"
    if font_dst.exists():
        for f in font_dst.glob("*.woff2"):
            f.unlink()
    font_dst.mkdir(parents=True, exist_ok=True)

    core, rare = font_chunks()
    blocks = []  # (weight, file name, unicode-range), most frequent first
    for suffix, cps in [("core", core), *((f"{n:02d}", cps) for n, cps in rare)]:
        urange = _format_range(cps)
        for weight, name in FONT_WEIGHTS.items():
            file_name = f"PretendardGOV-{name}.{suffix}.woff2"
            (font_dst / file_name).write_bytes(_subset_woff2(src_dir / f"PretendardGOV-{name}.woff2", cps))
            blocks.append((weight, file_name, urange))

    # The core first (base.html preloads it); the two weights of one chunk side by side
    # so that gzip/brotli see the repeated unicode-range right away.
    version = json.loads((PRETENDARD / "package.json").read_text())["version"]
    lines = [
        f"/*! Pretendard GOV {version} (SIL OFL 1.1, see ../fonts/LICENSE-OFL.txt), "
        "weights 400+700 split by unicode-range; generated by frontend/build.py, do not edit */"
    ]
    for weight, name, urange in blocks:
        lines.append(
            f'@font-face{{font-family:"{FONT_FAMILY}";font-style:normal;font-weight:{weight};'
            f'font-display:swap;src:url(../fonts/{name}) format("woff2");'
            f"unicode-range:{urange}}}"
        )
    (out_static / "css" / "fonts.css").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copyfile(PRETENDARD / "dist" / "LICENSE.txt", font_dst / "LICENSE-OFL.txt")
    log(f"fonts: core {len(core)} code points, {len(rare)} rare chunks, {len(blocks)} woff2 files")


# --------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--css-only", action="store_true")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()

    if not (KRDS.exists() and PRETENDARD.exists()):
        sys.exit("run `npm ci` in frontend/ first")

    real = REPO / STATIC_REL
    if args.check:
        tmp = Path(tempfile.mkdtemp())
        out = tmp / "lifecareer"
        shutil.copytree(real, out)
    else:
        out = real
    out.mkdir(parents=True, exist_ok=True)

    build_css(out)
    if not args.css_only:
        build_fonts(out)

    if args.check:
        diff = filecmp.dircmp(real, out)
        bad = []

        def walk(d, prefix=""):
            bad.extend(prefix + x for x in d.diff_files + d.left_only + d.right_only)
            for name, sub in d.subdirs.items():
                walk(sub, prefix + name + "/")

        walk(diff)
        shutil.rmtree(tmp)
        if bad:
            sys.exit(f"built files differ from the committed ones: {bad}")
        log("committed assets are up to date")


if __name__ == "__main__":
    main()
