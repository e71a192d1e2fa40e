"""Diagnostics: every problem briefgen finds in a site, with where and what to do.

Stages never print or raise on bad content; they return diagnostics, and a
policy at the end (`Report.failed`) decides whether the run fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from briefgen.pickling import compact_pickle


class Severity(StrEnum):
    """How much a diagnostic matters; `--strict` promotes warnings to errors."""

    ERROR = "error"
    WARNING = "warning"
    SUGGESTION = "suggestion"


@compact_pickle
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at `path:line:col` (1-based; 0 when the file as a whole is meant)."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.message)

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def error(path: str, line: int, col: int, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, message, hint)


def warning(path: str, line: int, col: int, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.WARNING, message, hint)


def suggestion(path: str, line: int, col: int, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.SUGGESTION, message, hint)


@dataclass(frozen=True)
class Report:
    """All diagnostics of a run, sorted by place, with the pass/fail policy."""

    diagnostics: tuple[Diagnostic, ...]

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> Report:
        unique = dict.fromkeys(diagnostics)
        return cls(tuple(sorted(unique, key=Diagnostic.sort_key)))

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def errors(self) -> Sequence[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def failed(self, *, strict: bool = False) -> bool:
        """Errors always fail a run; with `strict`, warnings do too (never suggestions)."""
        if self.count(Severity.ERROR):
            return True
        return strict and self.count(Severity.WARNING) > 0

    def summary(self) -> str:
        parts = [
            f"{self.count(s)} {s.value}{'' if self.count(s) == 1 else 's'}"
            for s in Severity
            if self.count(s)
        ]
        return ", ".join(parts) if parts else "no problems"
