"""Problems found in the input: errors stop the build, warnings are reported and shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path relative to the project root
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based
    code: str  # message key in the translation file, e.g. "required"
    params: tuple[tuple[str, str], ...] = ()
    severity: str = "error"  # error | warning
    field: str = ""  # dotted path of the field, e.g. "sections.2.heading"

    def param(self, name: str) -> str:
        return dict(self.params).get(name, "")


def problem(file: Path | str, line: int, column: int, code: str, *, field: str = "",
            severity: str = "error", **params: object) -> Problem:
    return Problem(str(file), line, column, code,
                   tuple(sorted((k, str(v)) for k, v in params.items())), severity, field)


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, p: Problem) -> None:
        self.items.append(p)

    def extend(self, ps: list[Problem]) -> None:
        self.items.extend(ps)

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self.items if p.severity == "error"})

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.items if p.severity == "warning"})
