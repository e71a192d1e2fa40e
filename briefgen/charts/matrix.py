"""The relation matrix: every pair of countries as a cell coloured by its current status.

Rows and columns list the countries alphabetically; a pair is drawn in both
its cells as one link, so the matrix reads the same from either country. The
canvas grows with the number of countries and column labels are set at 45
degrees, so 2 and 60 countries both stay legible at the natural size.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

from briefgen.charts.colours import (
    UNSTATED_TEXT,
    StatusStyle,
    drawn_styles,
    pair_style,
    status_tally,
    style_lookup,
)
from briefgen.charts.data import ChartCell, ChartCountry, pair_key, unique_countries
from briefgen.charts.legend import legend, legend_width, no_coverage_item, swatch_items
from briefgen.charts.svg import (
    EN_DASH,
    FONT_SIZE,
    MUTED_OPACITY,
    document,
    element,
    empty_chart,
    fit,
    link,
    name_key,
    number,
    text_element,
    text_width,
)

NO_RELATIONS = "No relations recorded yet."
CELL = 18
LABEL_MAX_WIDTH = 160
_PAD = 8
_GAP = 6
_MIN_WIDTH = 360
_DIAGONAL = math.sqrt(0.5)


def relation_matrix_svg(countries: Sequence[ChartCountry], cells: Mapping[tuple[str, str], ChartCell],
                        vocabulary: Sequence[str], title: str) -> str:
    """The matrix of `countries` with `cells` keyed by (id, id), as an inline `<svg>`."""
    styles = style_lookup(vocabulary)
    order = sorted(unique_countries(countries).values(), key=lambda c: (name_key(c.name), c.id))
    position = {country.id: index for index, country in enumerate(order)}
    pairs: dict[tuple[int, int], tuple[ChartCell, StatusStyle]] = {}
    for (a, b), cell in cells.items():
        first, second = pair_key(a, b, position)
        key = (min(position[first], position[second]), max(position[first], position[second]))
        if key in pairs:
            raise ValueError(f"the pair {first}, {second} is given twice")
        pairs[key] = (cell, pair_style(styles, cell.status))
    if not pairs:
        return empty_chart("matrix", title, NO_RELATIONS)

    labels = [fit(country.name, LABEL_MAX_WIDTH) for country in order]
    widths = [text_width(label) for label in labels]
    left = math.ceil(_PAD + max(widths) + _GAP)
    top = math.ceil(_PAD + (max(widths) + FONT_SIZE) * _DIAGONAL + _GAP)
    side = len(order) * CELL
    right = max(left + (index + 0.5) * CELL + (width + FONT_SIZE) * _DIAGONAL
                for index, width in enumerate(widths))

    shown = drawn_styles(styles, (style for _, style in pairs.values()))
    items = [*swatch_items(shown), no_coverage_item("no coverage")]
    width = max(right, left + side) + _PAD
    width = max(width, min(legend_width(items) + 2 * _PAD, _MIN_WIDTH))
    chart_legend, legend_height = legend(items, _PAD, top + side + 16, width - 2 * _PAD)

    body = [
        _diagonal(len(order), left, top),
        *_cells(order, pairs, shown, left, top),
        _grid(len(order), left, top),
        element("g", {"class": "chart-labels", "fill": "currentColor"},
                *_labels(order, labels, left, top)),
        chart_legend,
    ]
    return document("matrix", title, _description(order, pairs, shown, vocabulary),
                    (math.ceil(width), math.ceil(top + side + 16 + legend_height + _PAD)), body)


def _cells(order: Sequence[ChartCountry], pairs: Mapping[tuple[int, int], tuple[ChartCell, StatusStyle]],
           styles: Sequence[StatusStyle], left: float, top: float) -> Iterator[str]:
    """The pairs, one group per status that carries its colour and `status-<word>` class.

    Grouping keeps a 60-country matrix with every pair covered under 300 KB;
    CSS that sets `fill` on `.status-<word>` still recolours the cells.
    """
    row_major = sorted(pairs.items())
    for style in styles:
        members = [_cell(order, i, j, cell, left, top)
                   for (i, j), (cell, status) in row_major if status == style]
        if members:
            yield element("g", {"class": style.css_class, "fill": style.colour,
                                "fill-opacity": style.opacity}, *members)


def _cell(order: Sequence[ChartCountry], i: int, j: int, cell: ChartCell, left: float, top: float) -> str:
    """One pair, drawn in row i column j and row j column i, as a single link."""
    square = f"h{CELL}v{CELL}h-{CELL}z"
    d = (f"M{number(left + j * CELL)} {number(top + i * CELL)}{square}"
         f"M{number(left + i * CELL)} {number(top + j * CELL)}{square}")
    label = cell.label or f"{order[i].name} {EN_DASH} {order[j].name}"
    return link(cell.url, f"{label}: {cell.status or UNSTATED_TEXT}", element("path", {"d": d}))


def _diagonal(count: int, left: float, top: float) -> str:
    d = "".join(f"M{number(left + k * CELL)} {number(top + k * CELL)}h{CELL}v{CELL}h-{CELL}z"
                for k in range(count))
    return element("path", {"class": "chart-diagonal", "d": d, "fill": "currentColor",
                             "fill-opacity": "0.08"})


def _grid(count: int, left: float, top: float) -> str:
    side = count * CELL
    rows = "".join(f"M{number(left)} {number(top + k * CELL)}h{side}" for k in range(count + 1))
    columns = "".join(f"M{number(left + k * CELL)} {number(top)}v{side}" for k in range(count + 1))
    return element("path", {"class": "chart-grid", "d": rows + columns, "fill": "none",
                             "stroke": "currentColor", "stroke-opacity": MUTED_OPACITY,
                             "pointer-events": "none"})


def _labels(order: Sequence[ChartCountry], labels: Sequence[str], left: float, top: float) -> list[str]:
    parts = []
    for index, (country, label) in enumerate(zip(order, labels, strict=True)):
        middle = top + (index + 0.5) * CELL
        row: dict[str, str | float] = {"x": left - _GAP, "y": middle + FONT_SIZE * 0.35, "text-anchor": "end"}
        x, y = left + middle - top + FONT_SIZE * 0.3, top - _GAP
        column: dict[str, str | float] = {"x": x, "y": y, "transform": f"rotate(-45 {number(x)} {number(y)})"}
        for attributes in (row, column):
            parts.append(_label(country, label, attributes))
    return parts


def _label(country: ChartCountry, label: str, attributes: Mapping[str, str | float]) -> str:
    """A country's name, linked to its page; a shortened name keeps the full one as tooltip."""
    text = text_element("text", attributes, label)
    if label != country.name:
        text = text_element("title", None, country.name) + text
    return element("a", {"href": country.url}, text) if country.url else text


def _description(order: Sequence[ChartCountry],
                 pairs: Mapping[tuple[int, int], tuple[ChartCell, StatusStyle]],
                 shown: Sequence[StatusStyle], vocabulary: Sequence[str]) -> str:
    tally = status_tally(shown, (style for _, style in pairs.values()))
    return (f"Matrix of {len(order)} countries; {len(pairs)} pairs have coverage "
            f"({tally}). Colours run from warmest to coldest: {', '.join(vocabulary)}. "
            "Empty cells are pairs without coverage.")
