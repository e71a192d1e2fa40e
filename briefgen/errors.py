"""Exceptions that know their exit code; the CLI maps them, nothing else catches them."""

from __future__ import annotations

from briefgen.diagnostics import Report


class BriefgenError(Exception):
    """A failure the user can act on; `exit_code` follows the CLI's convention."""

    exit_code = 1


class UsageError(BriefgenError):
    """The command was called wrongly (bad option, missing folder): exit 2."""

    exit_code = 2


class ContentError(BriefgenError):
    """The site's content has errors; the report lists every one of them."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


class BuildError(BriefgenError):
    """Rendering or writing failed; the previous output is left as it was."""

    exit_code = 1
