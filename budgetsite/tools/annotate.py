"""Turn `build.py validate` output into GitHub Actions annotations.

    python build.py validate 2> validate.log; budgetsite annotate < validate.log

validate prints one block per problem, on stderr:

    data/budget/s000-v-12-workplace-harassment.yaml:17:9: 오류: 'budget'에는 숫자를 써야 …
        찾은 값: "215만"
        올바른 예: budget: 36351

and this prints one workflow command per block, which GitHub shows on the file and line of the
pull request ("Files changed") and in the check's summary:

    ::error file=data/budget/s000-v-12-workplace-harassment.yaml,line=17,col=9,title=데이터 오류::'budget'에는 …

Both languages of messages are understood (`--lang en` prints "error"/"warning"). Lines that are
not problems (the closing count) are left out. Warnings become ::warning, or with
--warnings-for LIST only those in the files named in LIST (one path a line, e.g. the files a pull
request changed), so that the report's known discrepancies do not show on every pull request.
GitHub shows at most 10 errors and 10 warnings of one step; validate lists errors first.
Exit status: 0, whatever was found (the workflow keeps validate's own exit code).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SEVERITY = {"오류": "error", "경고": "warning", "error": "error", "warning": "warning"}
TITLE = {"오류": "데이터 오류", "경고": "데이터 경고", "error": "data error", "warning": "data warning"}
HEADER = re.compile(
    r"^(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: "
    r"(?P<label>" + "|".join(map(re.escape, SEVERITY)) + r"): (?P<message>.*)$"
)


@dataclass
class Annotation:
    severity: str  # error | warning
    label: str  # as printed: 오류, 경고, error, warning
    file: str
    line: int | None
    col: int | None
    message: str
    details: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join([self.message, *self.details])


def parse(lines: Iterable[str]) -> Iterator[Annotation]:
    """Problems in validate's output; indented lines under a problem are its details."""
    current: Annotation | None = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        match = HEADER.match(line)
        if match:
            if current:
                yield current
            current = Annotation(
                severity=SEVERITY[match["label"]],
                label=match["label"],
                file=match["file"],
                line=int(match["line"]) if match["line"] else None,
                col=int(match["col"]) if match["col"] else None,
                message=match["message"],
            )
        elif current and line.startswith((" ", "\t")) and line.strip():
            current.details.append(line.strip())
        else:
            if current:
                yield current
            current = None
    if current:
        yield current


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(a: Annotation, prefix: str = "") -> str:
    props = [f"file={_escape_property(prefix + a.file)}"]
    if a.line:
        props.append(f"line={a.line}")
        if a.col:
            props.append(f"col={a.col}")
    props.append(f"title={_escape_property(TITLE[a.label])}")
    return f"::{a.severity} {','.join(props)}::{_escape_data(a.text)}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--prefix", default="",
                    help="Put before every path, when the project is in a subfolder of the repository (e.g. site/).")
    ap.add_argument("--warnings-for", type=Path, metavar="LIST",
                    help="Annotate warnings only in the files listed in LIST (one path a line).")
    ap.add_argument("--no-warnings", action="store_true", help="Annotate errors only.")
    args = ap.parse_args(argv)
    wanted: set[str] | None = None
    if args.warnings_for:
        text = args.warnings_for.read_text(encoding="utf-8") if args.warnings_for.exists() else ""
        wanted = {p.strip() for p in text.splitlines() if p.strip()}
    for stream in (sys.stdin, sys.stdout):
        stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    lines = sys.stdin.read().splitlines()
    for a in parse(lines):
        path = args.prefix + a.file
        if a.severity == "warning" and (args.no_warnings or (wanted is not None and path not in wanted)):
            continue
        print(command(a, args.prefix))
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        # A crash, not a data problem: say so on the check, with the exception's last line.
        last = next((line for line in reversed(lines) if line.strip()), "")
        print(f"::error title={_escape_property('build.py 내부 오류')}::{_escape_data(last)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
