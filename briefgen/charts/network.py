"""The relations map: countries as labelled nodes on a circle, relations as lines between them.

Nodes sit on a circle ordered by region, then name, with a small gap between
regions, so neighbours cluster and the layout depends only on the data (no
randomness, no input order). Lines bow towards the centre and differ by
colour, width and dashing. Up to a dozen countries are labelled horizontally;
more are labelled along their radius, like the spokes of a wheel, so that
labels cannot collide.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from briefgen.charts.colours import (
    UNSTATED_TEXT,
    StatusStyle,
    drawn_styles,
    pair_style,
    status_tally,
    style_lookup,
)
from briefgen.charts.data import ChartCountry, ChartEdge, pair_key, unique_countries
from briefgen.charts.legend import legend, legend_width, line_items
from briefgen.charts.svg import (
    EN_DASH,
    FONT_SIZE,
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
NODE_RADIUS = 5
LABEL_MAX_WIDTH = 150
HORIZONTAL_LABELS_UP_TO = 12
_SLOT = 28
_MIN_RADIUS = 90
_REGION_GAP = 0.6
_LABEL_OFFSET = 9
_BOW = 0.5
_PAD = 8
_MIN_WIDTH = 420

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class _Node:
    country: ChartCountry
    x: float
    y: float
    label: str
    label_attributes: dict[str, str | float]
    label_box: Box


def relation_network_svg(countries: Sequence[ChartCountry], edges: Sequence[ChartEdge],
                         vocabulary: Sequence[str], title: str) -> str:
    """The map of `countries` joined by `edges`, as an inline `<svg>`."""
    styles = style_lookup(vocabulary)
    by_id = unique_countries(countries)
    pairs: dict[tuple[str, str], tuple[ChartEdge, StatusStyle]] = {}
    for edge in edges:
        key = pair_key(edge.a, edge.b, by_id)
        if key in pairs:
            raise ValueError(f"the pair {key[0]}, {key[1]} is given twice")
        pairs[key] = (edge, pair_style(styles, edge.status))
    if not pairs:
        return empty_chart("network", title, NO_RELATIONS)

    nodes = _layout(sorted(by_id.values(), key=_map_order))
    left, top, right, bottom = _bounds(nodes)
    shown = drawn_styles(styles, (style for _, style in pairs.values()))
    items = line_items(shown)
    width = max(right - left + 2 * _PAD, min(legend_width(items) + 2 * _PAD, _MIN_WIDTH))
    shift_x = math.ceil(_PAD - left + (width - (right - left + 2 * _PAD)) / 2)
    shift_y = math.ceil(_PAD - top)
    chart_legend, legend_height = legend(items, _PAD, bottom - top + 2 * _PAD, width - 2 * _PAD)

    body = [
        element("g", {"class": "chart-edges", "fill": "none"}, *_edges(nodes, pairs, shown)),
        element("g", {"class": "chart-nodes", "fill": "currentColor"}, *(_node(node) for node in nodes)),
    ]
    graph = element("g", {"transform": f"translate({shift_x} {shift_y})"}, *body)
    height = bottom - top + 2 * _PAD + legend_height + _PAD
    return document("network", title, _description(nodes, pairs, shown, vocabulary),
                    (math.ceil(width), math.ceil(height)), [graph, chart_legend])


def _map_order(country: ChartCountry) -> tuple[bool, tuple[str, str], tuple[str, str], str]:
    """Region first (countries without one last), then name."""
    return (not country.region, name_key(country.region), name_key(country.name), country.id)


def _layout(order: Sequence[ChartCountry]) -> list[_Node]:
    """Nodes on a circle around (0, 0), big enough to give every node an equal arc."""
    slots, slot = [], 0.0
    gaps = len({country.region for country in order}) > 1
    for index, country in enumerate(order):
        if gaps and index and country.region != order[index - 1].region:
            slot += _REGION_GAP
        slots.append(slot)
        slot += 1
    total = slot + (_REGION_GAP if gaps else 0.0)
    radius = max(_MIN_RADIUS, total * _SLOT / (2 * math.pi))
    radial = len(order) > HORIZONTAL_LABELS_UP_TO
    nodes = []
    for country, place in zip(order, slots, strict=True):
        angle = -math.pi / 2 + 2 * math.pi * (place + 0.5) / total
        x, y = radius * math.cos(angle), radius * math.sin(angle)
        label = fit(country.name, LABEL_MAX_WIDTH)
        placement = _radial_label if radial else _horizontal_label
        attributes, box = placement(angle, radius + _LABEL_OFFSET, text_width(label))
        nodes.append(_Node(country, round(x, 1), round(y, 1), label, attributes, box))
    return nodes


def _horizontal_label(angle: float, distance: float, width: float) -> tuple[dict[str, str | float], Box]:
    """A level label beside the node, on the side facing away from the centre."""
    cos, sin = math.cos(angle), math.sin(angle)
    x, y = distance * cos, distance * sin + FONT_SIZE * (0.35 + 0.5 * sin)
    if cos > 0.25:
        anchor, start = "start", x
    elif cos < -0.25:
        anchor, start = "end", x - width
    else:
        anchor, start = "middle", x - width / 2
    box = (start, y - FONT_SIZE, start + width, y + FONT_SIZE * 0.3)
    return {"x": x, "y": y, "text-anchor": anchor}, box


def _radial_label(angle: float, distance: float, width: float) -> tuple[dict[str, str | float], Box]:
    """A label along the node's radius, turned so that it never reads upside down."""
    cos, sin = math.cos(angle), math.sin(angle)
    degrees = math.degrees(angle)
    flipped = cos < -1e-9
    x, y = distance * cos, distance * sin
    transform = f"translate({number(x)} {number(y)}) rotate({number(degrees + 180 if flipped else degrees)})"
    attributes: dict[str, str | float] = {"y": FONT_SIZE * 0.35, "transform": transform}
    if flipped:
        attributes["text-anchor"] = "end"
    far_x, far_y = (distance + width) * cos, (distance + width) * sin
    margin = FONT_SIZE * 0.6
    box = (min(x, far_x) - margin, min(y, far_y) - margin, max(x, far_x) + margin, max(y, far_y) + margin)
    return attributes, box


def _bounds(nodes: Sequence[_Node]) -> Box:
    boxes = [node.label_box for node in nodes]
    boxes += [(n.x - NODE_RADIUS, n.y - NODE_RADIUS, n.x + NODE_RADIUS, n.y + NODE_RADIUS) for n in nodes]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _edges(nodes: Sequence[_Node], pairs: dict[tuple[str, str], tuple[ChartEdge, StatusStyle]],
           styles: Sequence[StatusStyle]) -> Iterator[str]:
    """The relations, one group per status (warmest first, so the coldest are drawn on top).

    The group carries the `status-<word>` class and the line's colour, width and
    dashing, which keeps the map small and lets CSS restyle a status at once.
    """
    node_of = {node.country.id: node for node in nodes}
    place = {node.country.id: index for index, node in enumerate(nodes)}
    drawn = sorted(pairs.items(), key=lambda item: sorted((place[item[0][0]], place[item[0][1]])))
    for style in styles:
        members = [_edge(node_of[a], node_of[b], edge) for (a, b), (edge, status) in drawn
                   if status == style]
        if members:
            yield element("g", {"class": style.css_class, "stroke": style.colour,
                                "stroke-width": style.stroke_width, "stroke-dasharray": style.dash,
                                "stroke-linecap": style.linecap, "stroke-opacity": style.opacity}, *members)


def _edge(a: _Node, b: _Node, edge: ChartEdge) -> str:
    """A line bowed towards the centre, with an invisible wide twin that is easier to hit."""
    control_x, control_y = (a.x + b.x) / 2 * _BOW, (a.y + b.y) / 2 * _BOW
    d = (f"M{number(a.x)} {number(a.y)}Q{number(control_x)} {number(control_y)} "
         f"{number(b.x)} {number(b.y)}")
    names = sorted((a.country.name, b.country.name), key=name_key)
    label = edge.label or f"{names[0]} {EN_DASH} {names[1]}"
    target = element("path", {"d": d, "stroke-opacity": "0", "stroke-width": 10, "stroke-dasharray": "none"})
    return link(edge.url, f"{label}: {edge.status or UNSTATED_TEXT}", target, element("path", {"d": d}))


def _node(node: _Node) -> str:
    country = node.country
    tooltip = f"{country.name} ({country.region})" if country.region else country.name
    dot = element("circle", {"cx": node.x, "cy": node.y, "r": NODE_RADIUS})
    return link(country.url, tooltip, dot, text_element("text", node.label_attributes, node.label))


def _description(nodes: Sequence[_Node], pairs: dict[tuple[str, str], tuple[ChartEdge, StatusStyle]],
                 shown: Sequence[StatusStyle], vocabulary: Sequence[str]) -> str:
    tally = status_tally(shown, (style for _, style in pairs.values()))
    return (f"Map of {len(nodes)} countries and {len(pairs)} relations ({tally}). "
            f"Lines run from warmest, solid and green, to coldest, dashed and red: "
            f"{', '.join(vocabulary)}.")
