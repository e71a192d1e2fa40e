"""The key to a chart's colours: each status word beside a sample of how it is drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefgen.charts.colours import StatusStyle
from briefgen.charts.svg import MUTED_OPACITY, element, number, text_element, text_width

SAMPLE_WIDTH = 22
ROW_HEIGHT = 20
_GAP = 6
_SPACING = 18

Draw = Callable[[float, float], str]


@dataclass(frozen=True, slots=True)
class LegendItem:
    """`label` beside a sample that `draw(x, y_middle)` puts at the start of the item."""

    label: str
    draw: Draw


def swatch_items(styles: Sequence[StatusStyle]) -> list[LegendItem]:
    """Filled squares, as the matrix colours its cells."""
    return [LegendItem(style.text, _swatch(style)) for style in styles]


def line_items(styles: Sequence[StatusStyle]) -> list[LegendItem]:
    """Line samples in each status's colour, width and dashing, as the map draws relations."""
    return [LegendItem(style.text, _line(style)) for style in styles]


def no_coverage_item(label: str) -> LegendItem:
    def draw(x: float, middle: float) -> str:
        return element("rect", {"x": x + 5, "y": middle - 6, "width": 12, "height": 12,
                                "fill": "none", "stroke": "currentColor",
                                "stroke-opacity": MUTED_OPACITY})
    return LegendItem(label, draw)


def legend(items: Sequence[LegendItem], x: float, y: float, width: float) -> tuple[str, float]:
    """The legend laid out in rows that wrap at `width`, and the height it takes."""
    if not items:
        return "", 0.0
    parts = []
    left, row = x, 0
    for item in items:
        item_width = SAMPLE_WIDTH + _GAP + text_width(item.label)
        if left > x and left + item_width > x + width:
            left, row = x, row + 1
        middle = y + row * ROW_HEIGHT + ROW_HEIGHT / 2
        parts.append(item.draw(left, middle))
        parts.append(text_element("text", {"x": left + SAMPLE_WIDTH + _GAP, "y": middle + 4,
                                           "fill": "currentColor"}, item.label))
        left += item_width + _SPACING
    return element("g", {"class": "chart-legend"}, *parts), (row + 1) * ROW_HEIGHT


def legend_width(items: Sequence[LegendItem]) -> float:
    """The width of the legend on one row."""
    return sum(SAMPLE_WIDTH + _GAP + text_width(i.label) + _SPACING for i in items) - _SPACING


def _swatch(style: StatusStyle) -> Draw:
    def draw(x: float, middle: float) -> str:
        return element("rect", {"class": style.css_class, "x": x + 5, "y": middle - 6,
                                "width": 12, "height": 12, "fill": style.colour,
                                "fill-opacity": style.opacity})
    return draw


def _line(style: StatusStyle) -> Draw:
    def draw(x: float, middle: float) -> str:
        d = f"M{number(x)} {number(middle)}h{SAMPLE_WIDTH}"
        return element("path", {"class": style.css_class, "d": d,
                                "fill": "none", "stroke": style.colour,
                                "stroke-width": style.stroke_width, "stroke-dasharray": style.dash,
                                "stroke-linecap": style.linecap, "stroke-opacity": style.opacity})
    return draw
