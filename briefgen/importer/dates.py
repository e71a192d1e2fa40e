"""Dates stated in a text: '8 May 2024', 'May 8, 2024', '2024-05-08', and datelines.

Only full dates count: a weekday ("on Wednesday") or a day without a year
names no date by itself. Numeric forms such as 08/05/2024 are ignored: they
read differently in different countries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_PATTERNS = (
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])"),
)
_DATE_LINE_WORDS = re.compile(
    r"""(?ix)
    \b(?:published|updated|posted|date|on|at|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b
    | \b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?
    | \b(?:utc|gmt|(?-i:[A-Z]{2,4}T))\b
    """
)
_DATELINE_DASH = re.compile(r"\s*(?:\([^)]{1,40}\)\s*)?(?:\u2014|\u2013|--|\s-)\s*")
DATELINE_REACH = 80


@dataclass(frozen=True, slots=True)
class DateMention:
    """A full date found in a text, as written there."""

    date: dt.date
    text: str
    start: int
    end: int


def find_dates(text: str) -> list[DateMention]:
    """Every valid full date in `text`, in text order."""
    found: list[DateMention] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            date = _to_date(match)
            if date is not None:
                found.append(DateMention(date, match.group(), match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    unique: list[DateMention] = []
    for mention in found:
        if not unique or mention.start >= unique[-1].end:
            unique.append(mention)
    return unique


def _to_date(match: re.Match[str]) -> dt.date | None:
    month_text = match.group("month").rstrip(".")
    if month_text.isdigit():
        month = int(month_text)
    else:
        if not (month_text.istitle() or month_text.isupper()):
            return None  # "may 8, 2024" is the verb, not the month
        month = MONTHS[month_text.casefold()]
    try:
        return dt.date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def date_line(line: str) -> DateMention | None:
    """The date of a line that holds nothing but a date ('Published: Wednesday, 8 May 2024, 14:05')."""
    mentions = find_dates(line)
    if len(mentions) != 1:
        return None
    mention = mentions[0]
    rest = line[:mention.start] + " " + line[mention.end:]
    rest = _DATE_LINE_WORDS.sub(" ", rest)
    return mention if not any(c.isalnum() for c in rest) else None


def dateline(paragraph: str) -> tuple[DateMention, int] | None:
    """A date opening a story ('MOSCOW, May 8, 2024 — ...') and where the story text starts."""
    for mention in find_dates(paragraph[:DATELINE_REACH]):
        dash = _DATELINE_DASH.match(paragraph, mention.end)
        if dash is not None:
            return mention, dash.end()
    return None
