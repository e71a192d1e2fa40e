"""The error banner of a failed rebuild, and the injection of serve-time markup.

While a rebuild is failing the server keeps serving the last good site and
puts this banner at the top of every page: where each problem is
(file:line:col), what it is, and the hint, all HTML-escaped. Injection
happens on the way out of the server only; files in the output folder are
never touched.
"""

from __future__ import annotations

import html
import re
import traceback
from dataclasses import dataclass

from briefgen.diagnostics import Diagnostic, Severity
from briefgen.errors import BriefgenError, ContentError

MAX_SHOWN = 100
"""Diagnostics listed in the banner; the rest are counted."""

BANNER_CSS = """\
.briefgen-dev-error { position: relative; z-index: 2147483647; margin: 0; padding: 1rem 1.25rem;
  background: #fff4f2; color: #3d0d07; border-bottom: 4px solid #c0392b;
  font: 15px/1.45 system-ui, sans-serif; text-align: left; }
.briefgen-dev-error h2 { margin: 0 0 .5rem; font-size: 1.1rem; color: #8c1d10; }
.briefgen-dev-error ol { margin: .5rem 0; padding-left: 1.5rem; }
.briefgen-dev-error li { margin: .35rem 0; }
.briefgen-dev-error code, .briefgen-dev-error pre { font: 13px/1.4 ui-monospace, monospace; }
.briefgen-dev-error pre { white-space: pre-wrap; margin: .5rem 0; }
.briefgen-dev-error .where { font-weight: bold; }
.briefgen-dev-error .hint { display: block; color: #5c3b36; }
.briefgen-dev-error .note { margin: .5rem 0 0; color: #5c3b36; }
"""


@dataclass(frozen=True)
class BuildFailure:
    """Why the last rebuild failed: a summary, then each diagnostic or a detail text."""

    summary: str
    diagnostics: tuple[Diagnostic, ...] = ()
    detail: str | None = None

    @classmethod
    def from_exception(cls, exc: BaseException) -> BuildFailure:
        if isinstance(exc, FailedBuild):
            return exc.failure
        if isinstance(exc, ContentError):
            shown = tuple(d for d in exc.report.diagnostics if d.severity is not Severity.SUGGESTION)
            return cls(f"the content has {exc.report.summary()}", shown)
        if isinstance(exc, BriefgenError):
            return cls(str(exc))
        detail = "".join(traceback.format_exception(exc)).rstrip()
        return cls(f"internal error {type(exc).__name__}: {exc} (a bug in briefgen; please report it)",
                   detail=detail)

    def text(self) -> str:
        """The failure as the terminal shows it."""
        lines = [self.summary, *(d.format() for d in self.diagnostics)]
        if self.detail:
            lines.append(self.detail)
        return "\n".join(lines)


class BuildAbandoned(Exception):
    """The build under way was ended on purpose (a second Ctrl-C): nothing failed, and
    nothing is left to show."""


class FailedBuild(Exception):
    """A build that failed in another process (`serve.builder`), with what to show of it."""

    def __init__(self, failure: BuildFailure) -> None:
        super().__init__(failure.summary)
        self.failure = failure


def _where(diagnostic: Diagnostic) -> str:
    where = diagnostic.path
    if diagnostic.line:
        where += f":{diagnostic.line}"
        if diagnostic.col:
            where += f":{diagnostic.col}"
    return where


def banner_html(failure: BuildFailure) -> str:
    """The banner for `failure`; every piece of text in it is escaped."""
    esc = html.escape
    items = []
    for d in failure.diagnostics[:MAX_SHOWN]:
        hint = f'<span class="hint">hint: {esc(d.hint)}</span>' if d.hint else ""
        items.append(f'<li><code class="where">{esc(_where(d))}</code>: {esc(d.severity.value)}: '
                     f"{esc(d.message)}{hint}</li>")
    hidden = len(failure.diagnostics) - MAX_SHOWN
    if hidden > 0:
        items.append(f"<li>and {hidden} more (run briefgen check for the full list)</li>")
    parts = [
        '<aside class="briefgen-dev-error" role="alert">',
        "<h2>briefgen: the site did not rebuild; this is the last good version</h2>",
        f"<p>{esc(failure.summary)}</p>",
    ]
    if items:
        parts.append("<ol>" + "".join(items) + "</ol>")
    if failure.detail:
        parts.append(f"<pre>{esc(failure.detail)}</pre>")
    parts.append('<p class="note">Fix the file and save: this page reloads by itself.</p></aside>')
    return "\n".join(parts)


_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def inject(page: bytes, *, head: bytes, body: bytes = b"") -> bytes:
    """`page` with `head` before `</head>` and `body` right after `<body ...>`.

    A page without those tags gets them at its start, where browsers still
    run scripts and show the banner first.
    """
    body_tag = _BODY_START.search(page)
    if body and body_tag:
        page = page[:body_tag.end()] + body + page[body_tag.end():]
    elif body:
        page = body + page
    head_end = _HEAD_END.search(page)
    if head_end:
        return page[:head_end.start()] + head + page[head_end.start():]
    return head + page
