"""The status history of one pair: a step line through every statement, warmest status on top.

Time runs left to right on a linear date axis whose ticks are chosen to fit
(days, weeks, months or years, coarsening until the labels have room), so one
day and several decades both read well. A status holds until the next
statement changes it; the line continues past the last statement to the edge
of the plot, because that one is the current status.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise

from briefgen.charts.colours import StatusStyle, style_lookup, style_of
from briefgen.charts.data import TimelinePoint
from briefgen.charts.svg import (
    FONT_SIZE,
    MUTED_OPACITY,
    document,
    element,
    empty_chart,
    fit,
    link,
    number,
    text_element,
    text_width,
)

NO_STATEMENTS = "No relation statements recorded yet."
WIDTH = 640
ROW = 28
LABEL_MAX_WIDTH = 140
MARKER_RADIUS = 5
_CURRENT_RING = 8.5
_DODGE = 8
_PAD = 8
_GAP = 10
_MIN_PAD_DAYS = 7
_TICK_SPACING = 14
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class _Statement:
    day: dt.date
    point: TimelinePoint
    style: StatusStyle


def status_timeline_svg(points: Sequence[TimelinePoint], vocabulary: Sequence[str], title: str) -> str:
    """The history of one pair's status from `points`, as an inline `<svg>`.

    Points are put in date order (and time of day, for ISO datetimes); points
    of the same moment keep the order they are given in, which is the
    caller's to decide (briefing order, then order within a briefing), so the
    last one given is the current status, as the relations index says.
    """
    styles = style_lookup(vocabulary)
    ordered = sorted(points, key=_moment)
    statements = [_Statement(_day(point.date), point, style_of(styles, point.status)) for point in ordered]
    if not statements:
        return empty_chart("timeline", title, NO_STATEMENTS)

    words = [fit(word, LABEL_MAX_WIDTH) for word in vocabulary]
    left = math.ceil(_PAD + max(text_width(word) for word in words) + _GAP)
    right = WIDTH - _PAD - 24
    top = _PAD + 4
    bottom = top + len(vocabulary) * ROW

    first, last = statements[0].day.toordinal(), statements[-1].day.toordinal()
    margin = max((last - first) * 0.05, _MIN_PAD_DAYS)
    start, end = max(1.0, first - margin), min(float(dt.date.max.toordinal()), last + margin)

    def x_of(ordinal: float) -> float:
        return left + (ordinal - start) / (end - start) * (right - left)

    def y_of(style: StatusStyle) -> float:
        return top + (style.index + 0.5) * ROW

    xs = _dodged([x_of(s.day.toordinal()) for s in statements], statements, left, right)
    ys = [y_of(s.style) for s in statements]
    body = [
        _rows(words, left, right, top),
        _axis(start, end, x_of, left, right, top, bottom),
        _step(xs, ys, right),
        *_held(statements, xs, ys, right),
        *(_marker(s, x, y, current=index == len(statements) - 1)
          for index, (s, x, y) in enumerate(zip(statements, xs, ys, strict=True))),
    ]
    return document("timeline", title, _description(statements),
                    (WIDTH, math.ceil(bottom + 24 + _PAD)), body)


def _moment(point: TimelinePoint) -> tuple[dt.date, str]:
    """The day, then the ISO text, which orders the times of one day (a bare date first)."""
    return (_day(point.date), point.date)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"timeline date {text!r} is not an ISO date (YYYY-MM-DD)") from None


def _dodged(xs: list[float], statements: Sequence[_Statement], left: float, right: float) -> list[float]:
    """Positions with the statements of one day spread side by side, so each stays clickable."""
    result: list[float] = []
    for _, group in groupby(zip(xs, statements, strict=True), key=lambda pair: pair[1].day):
        members = [x for x, _ in group]
        gap = min(_DODGE, (right - left) / 2 / len(members))
        for offset, x in enumerate(members):
            result.append(min(right, max(left, x + (offset - (len(members) - 1) / 2) * gap)))
    return result


def _rows(words: Sequence[str], left: float, right: float, top: float) -> str:
    """The vocabulary down the left, warmest on top, each with a faint guide line."""
    labels = [text_element("text", {"x": left - _GAP, "y": top + (k + 0.5) * ROW + FONT_SIZE * 0.35,
                                    "text-anchor": "end"}, word) for k, word in enumerate(words)]
    guides = "".join(f"M{number(left)} {number(top + (k + 0.5) * ROW)}H{number(right)}"
                     for k in range(len(words)))
    return element("g", {"class": "chart-rows", "fill": "currentColor"}, *labels,
                   element("path", {"d": guides, "fill": "none", "stroke": "currentColor",
                                    "stroke-opacity": "0.12"}))


def _axis(start: float, end: float, x_of: Callable[[float], float], left: float, right: float,
          top: float, bottom: float) -> str:
    ticks = _ticks(start, end, x_of)
    marks = "".join(f"M{number(x_of(day.toordinal()))} {number(top)}V{number(bottom + 4)}"
                    for day, _ in ticks)
    labels = []
    for day, label in ticks:
        half = text_width(label) / 2
        x = min(WIDTH - _PAD - half, max(_PAD + half, x_of(day.toordinal())))
        labels.append(text_element("text", {"x": x, "y": bottom + 18, "text-anchor": "middle"}, label))
    return element(
        "g", {"class": "chart-axis", "fill": "currentColor"},
        element("path", {"d": f"M{number(left)} {number(bottom)}H{number(right)}", "fill": "none",
                         "stroke": "currentColor", "stroke-opacity": MUTED_OPACITY}),
        element("path", {"d": marks, "fill": "none", "stroke": "currentColor", "stroke-opacity": "0.12"}),
        *labels,
    )


def _ticks(start: float, end: float, x_of: Callable[[float], float]) -> list[tuple[dt.date, str]]:
    """The finest ticks whose labels do not crowd each other."""
    chosen: list[tuple[dt.date, str]] = []
    for ticks in _tick_candidates(start, end):
        if not ticks:
            continue
        chosen = ticks
        widest = max((text_width(label) for _, label in ticks), default=0.0)
        positions = [x_of(day.toordinal()) for day, _ in ticks]
        if all(b - a >= widest + _TICK_SPACING for a, b in pairwise(positions)):
            break
    return chosen


def _tick_candidates(start: float, end: float) -> Iterator[list[tuple[dt.date, str]]]:
    first, last = dt.date.fromordinal(math.ceil(start)), dt.date.fromordinal(math.floor(end))
    for step in (1, 2):
        yield _labelled([d for d in _days(first, last) if d.toordinal() % step == 0], _day_label)
    yield _labelled([d for d in _days(first, last) if d.weekday() == 0], _day_label)
    for step in (1, 3, 6):
        yield _labelled(list(_months(first, last, step)), _month_label)
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        years = range(math.ceil(first.year / step) * step, last.year + 1, step)
        yield [(dt.date(year, 1, 1), str(year)) for year in years if dt.date(year, 1, 1) >= first]


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    if (last - first).days > 400:
        return
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


def _months(first: dt.date, last: dt.date, step: int) -> Iterator[dt.date]:
    if last.year - first.year > 100:
        return
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = dt.date(year, month, 1)
        if day >= first and (month - 1) % step == 0:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _labelled(days: list[dt.date], label: Callable[[dt.date, bool], str]) -> list[tuple[dt.date, str]]:
    """Labels that name the year on the first tick and wherever the year changes."""
    return [(day, label(day, index == 0 or days[index - 1].year != day.year))
            for index, day in enumerate(days)]


def _day_label(day: dt.date, with_year: bool) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def _month_label(day: dt.date, with_year: bool) -> str:
    text = _MONTHS[day.month - 1]
    return f"{text} {day.year}" if with_year else text


def _step(xs: Sequence[float], ys: Sequence[float], right: float) -> str:
    """The step line: level until the next statement, then straight up or down to it."""
    d = f"M{number(xs[0])} {number(ys[0])}"
    d += "".join(f"H{number(x)}V{number(y)}" for x, y in zip(xs[1:], ys[1:], strict=True))
    d += f"H{number(right)}"
    return element("path", {"class": "timeline-step", "d": d, "fill": "none", "stroke": "currentColor",
                            "stroke-opacity": "0.5", "stroke-width": 1.5})


def _held(statements: Sequence[_Statement], xs: Sequence[float], ys: Sequence[float],
          right: float) -> Iterator[str]:
    """Each stretch of time a status held, drawn in its colour over the step line."""
    ends = [*xs[1:], right]
    for statement, x, y, end in zip(statements, xs, ys, ends, strict=True):
        if end > x:
            style = statement.style
            yield element("path", {"class": style.css_class, "d": f"M{number(x)} {number(y)}H{number(end)}",
                                   "fill": "none", "stroke": style.colour, "stroke-width": 4})


def _marker(statement: _Statement, x: float, y: float, *, current: bool) -> str:
    point, style = statement.point, statement.style
    shapes = [element("circle", {"class": style.css_class, "cx": x, "cy": y, "r": MARKER_RADIUS,
                                 "fill": style.colour})]
    if current:
        shapes.append(element("circle", {"class": "timeline-current", "cx": x, "cy": y, "r": _CURRENT_RING,
                                         "fill": "none", "stroke": style.colour, "stroke-width": 2}))
    tooltip = f"{statement.day.isoformat()}: {point.status} — {point.label}" if point.label else \
        f"{statement.day.isoformat()}: {point.status}"
    return link(point.url, tooltip, *shapes)


def _description(statements: Sequence[_Statement]) -> str:
    current = statements[-1]
    since = current
    for statement in reversed(statements):
        if statement.style.word != current.style.word:
            break
        since = statement
    count = len(statements)
    return (f"{count} statement{'s' if count != 1 else ''} from {statements[0].day.isoformat()} "
            f"to {current.day.isoformat()}. Current status: {current.point.status} "
            f"(since {since.day.isoformat()}).")
