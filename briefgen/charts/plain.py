"""Charts drawn from plain data: what page contexts carry, turned into the chart records.

A page's context holds a chart's inputs as lists and strings (so that the
page stays a digestible function of plain data); templates draw it with
`draw_matrix`, `draw_network` and `draw_timeline`, at render time, on
whichever core renders the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from briefgen.charts.data import ChartCell, ChartCountry, ChartEdge, TimelinePoint
from briefgen.charts.matrix import relation_matrix_svg
from briefgen.charts.network import relation_network_svg
from briefgen.charts.timeline import status_timeline_svg

Spec = Mapping[str, Any]


def relations_spec(countries: Sequence[ChartCountry], cells: Sequence[tuple[str, str, str, str, str]],
                vocabulary: Sequence[str], title: str) -> dict[str, Any]:
    """The plain data of a matrix or map: countries, and (a, b, status, url, label) per pair."""
    return {
        "countries": [[c.id, c.name, c.url, c.region] for c in countries],
        "pairs": [list(cell) for cell in cells],
        "vocabulary": list(vocabulary),
        "title": title,
    }


def draw_matrix(spec: Spec) -> Markup:
    cells = {(a, b): ChartCell(status, url, label) for a, b, status, url, label in spec["pairs"]}
    return Markup(relation_matrix_svg(_countries(spec), cells, spec["vocabulary"], spec["title"]))


def draw_network(spec: Spec) -> Markup:
    edges = [ChartEdge(a, b, status, url, label) for a, b, status, url, label in spec["pairs"]]
    return Markup(relation_network_svg(_countries(spec), edges, spec["vocabulary"], spec["title"]))


def timeline_spec(points: Sequence[tuple[str, str, str, str]], vocabulary: Sequence[str],
                  title: str) -> dict[str, Any]:
    """The plain data of a status timeline: (date, status, url, label) per statement."""
    return {"points": [list(p) for p in points], "vocabulary": list(vocabulary), "title": title}


def draw_timeline(spec: Spec) -> Markup:
    points = [TimelinePoint(date, status, url, label) for date, status, url, label in spec["points"]]
    return Markup(status_timeline_svg(points, spec["vocabulary"], spec["title"]))


def _countries(spec: Spec) -> list[ChartCountry]:
    return [ChartCountry(cid, name, url, region) for cid, name, url, region in spec["countries"]]
