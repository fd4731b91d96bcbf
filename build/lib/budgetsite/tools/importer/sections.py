"""The report's outline: chapters (I. II. …), areas (1. 2. …), numbered program headings and their
□ sub-sections.

Program headings are recognised by their numbering, not their look: inside an area the programs
are numbered 1, 2, 3 …, a heading may print its number alone with the name on a later line, and a
table of contents lists the same numbers first. So a candidate heading counts only when it
continues the numbering and has text under it; the contents list (names with nothing under them)
supplies the names of headings the extraction lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TypeVar

from .markup import Block, prose_blocks, spaceless, to_markdown

WarnFn = Callable[[int | None, str], None]
T = TypeVar("T")

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "Ⅵ": 6, "Ⅶ": 7, "Ⅷ": 8, "Ⅸ": 9, "Ⅹ": 10}
ROMAN_RE = re.compile(r"^(?P<num>[IVX]{1,4}|[Ⅰ-Ⅹ])\s*\.\s*(?P<title>\S.*)$")
AREA_RE = re.compile(r"^(?P<num>\d{1,2})\.\s+(?P<title>\S.*)$")
NUMBERED_RE = re.compile(r"^(?P<num>\d{1,2})(?:\s+(?P<title>\S.*))?$")
DASHED_RE = re.compile(r"^(?P<num>\d{1,2}-\d{1,2})\s+(?P<title>\S.*)$")
CIRCLED_RE = re.compile(r"^(?P<num>[①-⑳])\s*(?P<title>\S.*)?$")
TOC_RE = re.compile(r"^-\s*(?P<num>[①-⑳]|\d{1,2})\s+(?P<title>\S.*?)(?:\s+\d{1,3})?$")
BOX_RE = re.compile(r"^[□■]\s*(?P<title>\S.*)$")
# Chapters that hold no program narratives: general status, vision, audit answers, execution tables.
NON_PROGRAM_CHAPTER = re.compile(r"일반\s*현\s*황|비\s*전|행정\s*(사무)?\s*감사|집행\s*현황|보고\s*순서")
_SECTION_WORD = (r"(?:주요\s*|향후\s*|세부\s*)?(?:사업|운영|센터|기금|행사|추진|지원|시설|소요)?\s*"
                 r"(?:개요|실적|현황|계획|일정|근거|경과|방향|목적|체계|내용|예산)")
# A □ sub-heading printed without its □ ("사업개요", "향후 추진일정", "추진현황('18.8월 기준)").
BARE_SECTION_RE = re.compile(rf"^{_SECTION_WORD}(?:\s*및\s*{_SECTION_WORD})?(?:\s*[:(].*)?$")
BUDGET_TEXT_RE = re.compile(r"(?:소요예산|사업예산|사업비|총\s*사업비|['’]\d{2}년\s*예산)\s*[:：]\s*\S")
LEGAL_RE = re.compile(r"^(?:(?:추진|지원|사업|설치)\s*근거)\s*[:：]\s*(?P<text>\S.*)$")
_SEPARATOR = re.compile(r"^[-.—·\s]+$")


def normalize(line: str) -> str:
    """A line as its structure reads: Markdown heading marks and bold marks removed."""
    text = re.sub(r"^#+\s*", "", line.strip())
    return text.replace("**", "").strip()


def circled_number(char: str) -> int:
    return ord(char) - ord("①") + 1


def _similar(a: str, b: str) -> bool:
    a, b = (re.sub(r"[\s「」『』·•,.\-]", "", x) for x in (a, b))
    if not a or not b:
        return False
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.6


@dataclass
class Part:
    """A chapter or area: the stretch of report between two outline headings."""

    start: int  # heading line (1-based); 1 for the text before the first heading
    end: int
    key: str  # "2" for area 2. or chapter II.
    title: str
    heading: str  # as printed, for source.section
    skip: bool  # holds no program narratives
    parent_title: str = ""  # the chapter an area sits in


@dataclass
class Candidate:
    line: int  # heading line
    number: str  # "3", "1-2", "①"
    name: str
    name_line: int  # where the name is printed (a later line when the heading is a bare number)
    end: int = 0  # last line of its text

    @property
    def value(self) -> int:
        if self.number[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
            return circled_number(self.number)
        return int(self.number.split("-")[-1])


@dataclass
class Program:
    part: Part
    number: str  # "2-7"; for a sub-program the printed "①" or "1"
    value: int
    name: str
    start: int
    end: int
    text_start: int  # first line after the heading (and after the name line)
    parent: Program | None = None
    subs: list[Program] = field(default_factory=list)
    heading_missing: bool = False
    toc_name: str | None = None

    @property
    def own_end(self) -> int:
        """Last line of the program's own text, before its first sub-program."""
        return self.subs[0].start - 1 if self.subs else self.end


@dataclass(frozen=True)
class Section:
    heading: str
    start: int  # the heading line
    end: int
    body: str


@dataclass(frozen=True)
class ProgramText:
    summary: str
    sections: list[Section]
    legal_basis: list[str]
    budget_text: str | None
    budget_line: int | None


class Outline:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.norm = [normalize(line) if "\t" not in line else "" for line in lines]
        self.dashed = any(DASHED_RE.match(t) for t in self.norm)
        self.parts = self._parts()

    def text(self, line: int) -> str:
        return self.norm[line - 1]

    # -- chapters and areas -----------------------------------------------------------------

    def _parts(self) -> list[Part]:
        heads: list[tuple[int, str, str, str, bool]] = []  # line, key, title, heading, is_area
        for n, text in enumerate(self.norm, 1):
            if m := ROMAN_RE.match(text):
                heads.append((n, str(_ROMAN[m["num"]]), m["title"], text, False))
            elif m := AREA_RE.match(text):
                heads.append((n, m["num"], m["title"], text, True))
            elif self.dashed and (m := NUMBERED_RE.match(text)) and m["title"]:
                # Where programs are numbered 1-1, 1-2 …, a plain "3 title" is a chapter heading.
                heads.append((n, m["num"], m["title"], text, False))
            elif len(text) <= 12 and NON_PROGRAM_CHAPTER.fullmatch(text):
                heads.append((n, "0", text, text, False))  # "일반현황" printed without its numeral
        parts: list[Part] = []
        chapter = ""
        starts = [h[0] for h in heads] + [len(self.lines) + 1]
        if not heads or heads[0][0] > 1:
            parts.append(Part(1, starts[0] - 1, "0", "", "", True))
        for (n, key, title, heading, is_area), nxt in zip(heads, starts[1:], strict=True):
            if not is_area:
                chapter = title
            skip = bool(NON_PROGRAM_CHAPTER.search(title))
            parts.append(Part(n, nxt - 1, key, title, heading, skip, chapter if is_area else ""))
        return parts

    def section_at(self, line: int) -> str:
        """The outline heading a line sits under, as printed (for source.section)."""
        for part in reversed(self.parts):
            if part.start <= line and part.heading:
                return part.heading
        return ""

    def part_at(self, line: int) -> Part | None:
        for part in self.parts:
            if part.start <= line <= part.end:
                return part
        return None

    # -- program headings -------------------------------------------------------------------

    def programs(self, warn: WarnFn) -> list[Program]:
        found: list[Program] = []
        for part in self.parts:
            if part.skip:
                continue
            found += self._part_programs(part, warn)
        return found

    def _candidates(self, start: int, end: int, pattern: re.Pattern[str]) -> list[Candidate]:
        cands: list[Candidate] = []
        for n in range(start, end + 1):
            if m := pattern.match(self.text(n)):
                name, name_line = (m["title"] or "").strip(), n
                if not name:  # "2" alone: the name is the next printed line
                    name_line = self._next_text_line(n + 1, end)
                    name = self.text(name_line) if name_line and not self._structural(name_line) else ""
                    name_line = name_line if name else n
                # "확충□ 사업개요": a sub-heading printed on the name's line is not part of the name.
                name = name.split("□")[0].strip()
                cands.append(Candidate(n, m["num"], name, name_line))
        for cand, nxt in with_next(cands):
            cand.end = (nxt.line - 1) if nxt else end
        return cands

    def _next_text_line(self, start: int, end: int) -> int:
        for n in range(start, end + 1):
            if self.text(n) and not _SEPARATOR.match(self.text(n)):
                return n
        return 0

    def _structural(self, line: int) -> bool:
        t = self.text(line)
        return bool(BOX_RE.match(t) or NUMBERED_RE.match(t) or CIRCLED_RE.match(t))

    def _has_text(self, cand: Candidate) -> bool:
        return any((self.text(n) and not _SEPARATOR.match(self.text(n))) or "\t" in self.lines[n - 1]
                   for n in range(cand.name_line + 1, cand.end + 1))

    def _has_section(self, start: int, end: int) -> bool:
        return any(self._section_title(n) for n in range(start, end + 1))

    def _toc(self, part: Part, before: int, cands: list[Candidate]) -> dict[int, str]:
        """The part's list of program names: "- ① name 4" lines and headings with nothing under them."""
        toc: dict[int, str] = {}
        for n in range(part.start + 1, before):
            if m := TOC_RE.match(self.text(n)):
                num = m["num"]
                toc[int(num) if num.isascii() else circled_number(num)] = m["title"]
            elif m := CIRCLED_RE.match(self.text(n)):
                if m["title"]:
                    toc[circled_number(m["num"])] = m["title"]
        for cand in cands:
            if cand.line < before and not self._has_text(cand) and cand.name:
                toc[cand.value] = cand.name
        return toc

    def _part_programs(self, part: Part, warn: WarnFn) -> list[Program]:
        pattern = DASHED_RE if self.dashed else NUMBERED_RE
        cands = self._candidates(part.start + 1, part.end, pattern)
        real = [c for c in cands if self._has_text(c) and c.name]
        if self.dashed:
            real = [c for c in real if c.number.split("-")[0] == part.key]
        if not real:
            return []
        toc = self._toc(part, real[0].line, cands)
        programs: list[Program] = []
        current: Program | None = None
        for cand in real:
            n = cand.value
            top_next = n == (current.value + 1 if current else 1)
            sub_next = current is not None and n == len(current.subs) + 1
            if top_next and sub_next:
                # "2" after "1 …" with a sub-item 1 could be either; the contents list decides,
                # and without one the heading is taken as the next program.
                top_next = _similar(cand.name, toc[n]) if toc.get(n) else True
                sub_next = not top_next
            if top_next or (not sub_next and current is not None and n > current.value + 1
                            and (not toc or _similar(cand.name, toc.get(n, "")))):
                current = self._program(part, cand, toc)
                programs.append(current)
            elif sub_next and current is not None:
                current.subs.append(self._sub(part, cand, current))
            else:
                warn(cand.line, f"numbered line {cand.number!r} does not continue the program "
                                f"numbering of {part.heading!r}; kept as text")
        _set_ends(programs, part.end)
        for program in programs:
            if not program.subs:
                program.subs = self._circled_subs(program)
        programs = self._split_headingless(programs, toc, warn)
        numbers = [p.value for p in programs]
        for missing in sorted(set(range(1, max(numbers) + 1)) - set(numbers)):
            name = toc.get(missing)
            warn(part.start, f"program {missing} of {part.heading!r} not found"
                             + (f" (contents: {name!r}); its text stays in the program before it" if name else ""))
        return programs

    def _program(self, part: Part, cand: Candidate, toc: dict[int, str]) -> Program:
        number = cand.number if self.dashed else f"{part.key}-{cand.number}"
        return Program(part, number, cand.value, cand.name, cand.line, cand.end, cand.name_line + 1,
                       toc_name=toc.get(cand.value))

    def _sub(self, part: Part, cand: Candidate, parent: Program) -> Program:
        return Program(part, cand.number, cand.value, cand.name, cand.line, cand.end, cand.name_line + 1,
                       parent=parent)

    def _circled_subs(self, program: Program) -> list[Program]:
        """①, ② … inside a program are its sub-programs when each has □ sub-sections."""
        cands = [c for c in self._candidates(program.text_start, program.end, CIRCLED_RE) if c.name]
        series: list[Candidate] = []
        for cand in cands:
            if cand.value == 1:
                series = [cand]
            elif series and cand.value == series[-1].value + 1:
                series.append(cand)
        # Only the last complete series counts, and only if every member has □ sections:
        # numbered prose items (① 금년 2월까지의 …) have none.
        if len(series) < 2 or not all(self._has_section(c.name_line + 1, c.end) for c in series):
            return []
        subs = [Program(program.part, c.number, c.value, c.name, c.line, c.end, c.name_line + 1,
                        parent=program) for c in series]
        subs[-1].end = program.end
        return subs

    def _split_headingless(self, programs: list[Program], toc: dict[int, str], warn: WarnFn) -> list[Program]:
        """A program whose first □ sub-heading comes back again holds a second program whose
        heading was lost: it starts at the purpose paragraph above the repeated sub-heading."""
        result: list[Program] = []
        for program in programs:
            pieces = [program]
            while not pieces[-1].subs:
                last = pieces[-1]
                start = self._repeat_start(last)
                if start is None:
                    break
                value = last.value + 1
                name = toc.get(value, "")
                # The numbering must leave room for it, and a contents list must name it.
                if any(p.value == value for p in programs) or (toc and not name):
                    break
                number = (f"{last.part.key}-{value}" if not self.dashed
                          else f"{last.number.rsplit('-', 1)[0]}-{value}")
                new = Program(last.part, number, value, name, start, last.end, start,
                              heading_missing=True, toc_name=name or None)
                last.end = start - 1
                pieces.append(new)
                warn(start, f"program heading missing; program {number} starts here"
                            + (f", named {name!r} from the contents" if name else " (no name printed)"))
            result += pieces
        return result

    def _repeat_start(self, program: Program) -> int | None:
        sections = [(n, spaceless(self._section_title(n) or "")) for n in range(program.text_start, program.end + 1)
                    if self._section_title(n)]
        if len(sections) < 2:
            return None
        first = sections[0][1]
        for n, title in sections[1:]:
            if title == first:
                # Walk up over blank lines to a paragraph (the lost program's purpose line).
                m = n - 1
                while m > program.text_start and not self.text(m):
                    m -= 1
                if self.text(m) and not self._is_markup_line(m):
                    while m - 1 > program.text_start and self.text(m - 1) and not self._is_markup_line(m - 1):
                        m -= 1
                    return m
                return n
        return None

    def _is_markup_line(self, line: int) -> bool:
        t = self.text(line)
        return (not t or "\t" in self.lines[line - 1] or t[0] in "-○※▶•(" or bool(self._section_title(line)))

    def _section_title(self, line: int) -> str | None:
        t = self.text(line)
        if m := BOX_RE.match(t):
            return m["title"]
        if len(t) <= 30 and BARE_SECTION_RE.match(t):
            return t
        return None

    # -- program text -----------------------------------------------------------------------

    def program_text(self, program: Program) -> ProgramText:
        start, end = program.text_start, program.own_end
        heads = [n for n in range(start, end + 1) if self._section_title(n)]
        summary_lines = self.lines[start - 1:(heads[0] if heads else end + 1) - 1]
        sections: list[Section] = []
        legal: list[str] = []
        for head, nxt in zip(heads, [*heads[1:], end + 1], strict=False):
            last = _trim_end(self.lines, head, nxt - 1)
            blocks = prose_blocks(self.lines[head:last])
            title = self._section_title(head) or ""
            body = to_markdown(blocks)
            if not body and (m := re.match(r"^(?P<head>[^:：]+?)\s*[:：]\s*(?P<rest>\S.*)$", title)):
                title, body = m["head"], m["rest"]  # "□ 소요예산: 총 93,500천원(구비)" is all on one line
            sections.append(Section(title, head, last, body))
            if "근거" in title:
                legal += [b.text for b in _top_items(blocks)]
            legal += _legal_items(blocks)
        budget_text, budget_line = None, None
        for n in range(start, end + 1):
            t = _unbullet(self.text(n))
            if m := LEGAL_RE.match(t):
                legal.append(m["text"])
            if budget_text is None and BUDGET_TEXT_RE.search(t):
                budget_text, budget_line = t, n
        legal = list(dict.fromkeys(legal))  # the same basis can be printed twice
        return ProgramText(to_markdown(prose_blocks(summary_lines)), sections, legal, budget_text, budget_line)


def with_next(items: list[T]) -> list[tuple[T, T | None]]:
    return [(item, items[i + 1] if i + 1 < len(items) else None) for i, item in enumerate(items)]


def _set_ends(programs: list[Program], part_end: int) -> None:
    for program, nxt in with_next(programs):
        program.end = (nxt.start - 1) if nxt else part_end
        for sub, nxt_sub in with_next(program.subs):
            sub.end = (nxt_sub.start - 1) if nxt_sub else program.end


def _trim_end(lines: list[str], start: int, end: int) -> int:
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def _unbullet(text: str) -> str:
    return re.sub(r"^[-○•▶□■]\s*", "", text).strip()


_LEGAL_HEAD = re.compile(r"^(?:추진|지원|사업|설치)\s*근거$")


def _legal_items(blocks: list[Block]) -> list[str]:
    """The bullets under a "○ 추진근거" bullet."""
    found: list[str] = []
    head_rank: int | None = None
    for block in blocks:
        if block.kind != "item":
            continue
        if _LEGAL_HEAD.match(block.text):
            head_rank = block.rank
        elif head_rank is not None and block.rank > head_rank:
            found.append(block.text)
        else:
            head_rank = None
    return found


def _top_items(blocks: list[Block]) -> list[Block]:
    ranks = [b.rank for b in blocks if b.kind == "item"]
    if not ranks:
        return [b for b in blocks if b.kind == "para"]
    top = min(ranks)
    return [b for b in blocks if b.kind == "item" and b.rank == top]
