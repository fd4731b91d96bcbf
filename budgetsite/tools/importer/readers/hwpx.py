"""HWPX, the 한글 XML format: a zip of OWPML parts. The body is Contents/section*.xml in the order
the package's spine gives; a paragraph (hp:p) holds runs of text (hp:t), and a run may hold a table
(hp:tbl → hp:tr → hp:tc, with hp:cellAddr and hp:cellSpan for merged cells). Read with the standard
library: names are matched without their namespace (the 2011 and 2016 namespaces both occur), and
a part with a DTD or entity declarations is refused before it is parsed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from .document import Document, DocumentBuilder, ReadError

_MAX_PART = 100 * 1024 * 1024  # uncompressed bytes of one XML part
_MAX_TOTAL = 400 * 1024 * 1024
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def is_hwpx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "mimetype" in names and b"hwp" in z.read("mimetype")[:64].lower():
                return True
            return any(n.startswith("Contents/section") for n in names)
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _part(z: zipfile.ZipFile, name: str, path: Path) -> ET.Element:
    info = z.getinfo(name)
    if info.file_size > _MAX_PART:
        raise ReadError(f"{path}: part {name} unpacks to {info.file_size // (1024 * 1024)} MB; not read")
    data = z.read(name)
    if _DTD.search(data[:4096]):
        raise ReadError(f"{path}: part {name} declares a DTD or entities, which an HWPX part never does; not read")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise ReadError(f"{path}: part {name} is not well-formed XML ({exc}); open the file in 한글 and save "
                        "it again as HWPX") from None


def _sections(z: zipfile.ZipFile, path: Path) -> list[str]:
    names = z.namelist()
    spine: list[str] = []
    if "Contents/content.hpf" in names:
        root = _part(z, "Contents/content.hpf", path)
        hrefs = {el.get("id"): el.get("href") for el in root.iter() if _local(el.tag) == "item"}
        for el in root.iter():
            if _local(el.tag) == "itemref" and (href := hrefs.get(el.get("idref"))):
                full = href if href.startswith("Contents/") else f"Contents/{href}"
                if re.search(r"section\d+\.xml$", full) and full in names:
                    spine.append(full)
    if not spine:
        spine = sorted((n for n in names if re.fullmatch(r"Contents/section\d+\.xml", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[-1]))
    return spine


def read_hwpx(path: Path) -> Document:
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"{path}: not a readable HWPX (zip) file ({exc})") from None
    with z:
        if sum(i.file_size for i in z.infolist()) > _MAX_TOTAL:
            raise ReadError(f"{path}: unpacks to more than {_MAX_TOTAL // (1024 * 1024)} MB; not read")
        sections = _sections(z, path)
        if not sections:
            raise ReadError(f"{path}: no Contents/section*.xml: not an HWPX document")
        builder = DocumentBuilder("hwpx")
        for name in sections:
            _paragraphs(_part(z, name, path), builder, f"HWPX table ({name.split('/')[-1]})")
    doc = builder.finish()
    if not any(line.strip() for line in doc.lines):
        raise ReadError(f"{path}: the HWPX document has no text")
    return doc


def _paragraphs(parent: ET.Element, builder: DocumentBuilder, how: str) -> None:
    for p in parent:
        if _local(p.tag) != "p":
            continue
        text: list[str] = []
        for run in p:
            if _local(run.tag) != "run":
                continue
            for child in run:
                name = _local(child.tag)
                if name == "t":
                    text.append(_t_text(child))
                elif name == "tbl":
                    if "".join(text).strip():
                        builder.paragraph("".join(text))
                    text = []
                    builder.table(_grid(child), how)
                else:
                    # Text boxes and shapes keep their paragraphs in a sub-list (hp:drawText).
                    for sub in child.iter():
                        if _local(sub.tag) == "subList":
                            _paragraphs(sub, builder, how)
                            break
        line = "".join(text)
        if line.strip():
            builder.paragraph(line)
        elif not text and builder.doc.lines and builder.doc.lines[-1] != "":
            builder.blank()


def _t_text(t: ET.Element) -> str:
    parts = [t.text or ""]
    for child in t:
        name = _local(child.tag)
        if name == "lineBreak":
            parts.append("\n")
        elif name in ("tab", "nbSpace", "fwSpace"):
            parts.append(" ")
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_text(tc: ET.Element) -> str:
    """A cell's paragraphs on one line (a table inside a cell gives its text too)."""
    texts = []
    for p in tc.iter():
        if _local(p.tag) == "p":
            line = "".join(_t_text(t) for run in p if _local(run.tag) == "run"
                           for t in run if _local(t.tag) == "t")
            if line.strip():
                texts.append(line.strip())
    return " ".join(texts)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _grid(tbl: ET.Element) -> list[list[str]]:
    rows = [tr for tr in tbl if _local(tr.tag) == "tr"]
    height = _int(tbl.get("rowCnt"), len(rows))
    width = _int(tbl.get("colCnt"), max((len([c for c in tr if _local(c.tag) == "tc"]) for tr in rows), default=0))
    grid = [[""] * width for _ in range(height)]
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        c = 0
        for tc in tr:
            if _local(tc.tag) != "tc":
                continue
            addr = next((el for el in tc if _local(el.tag) == "cellAddr"), None)
            span = next((el for el in tc if _local(el.tag) == "cellSpan"), None)
            while (r, c) in taken:
                c += 1
            row = _int(addr.get("rowAddr"), r) if addr is not None else r
            col = _int(addr.get("colAddr"), c) if addr is not None else c
            rs = _int(span.get("rowSpan"), 1) if span is not None else 1
            cs = _int(span.get("colSpan"), 1) if span is not None else 1
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((row + dr, col + dc))
            while row >= len(grid):
                grid.append([""] * width)
            while col >= len(grid[row]):
                for line in grid:
                    line.append("")
            grid[row][col] = _cell_text(next((el for el in tc if _local(el.tag) == "subList"), tc))
            c = col + cs
    return grid
