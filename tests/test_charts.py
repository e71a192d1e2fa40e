"""The relation charts: accessible, safe, deterministic inline SVG that shows the right thing."""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from briefgen.charts import (
    ChartCell,
    ChartCountry,
    ChartEdge,
    TimelinePoint,
    relation_matrix_svg,
    relation_network_svg,
    status_palette,
    status_styles,
    status_timeline_svg,
)
from tests.conftest import REPO

SVG = "{http://www.w3.org/2000/svg}"
VOCABULARY = ("allied", "cooperative", "neutral", "strained", "hostile", "conflict")
DASH = "\u2013"
TRICKY = 'Iran <&> "Rep." \'x\''

COUNTRIES = (
    ChartCountry("armenia", "Armenia", "/countries/armenia/", "South Caucasus"),
    ChartCountry("azerbaijan", "Azerbaijan", "/countries/azerbaijan/", "South Caucasus"),
    ChartCountry("georgia", "Georgia", "/countries/georgia/", "South Caucasus"),
    ChartCountry("russia", "Russia", "/countries/russia/", "Eastern Europe"),
    ChartCountry("iran", TRICKY, "/countries/iran/?a=1&b=2", "Middle East"),
    ChartCountry("japan", "日本", "/countries/japan/", ""),
    ChartCountry("greece", "Ελλάδα", "/countries/greece/", "Southern Europe"),
)
RELATIONS = (
    ("armenia", "russia", "strained"),
    ("armenia", "azerbaijan", "conflict"),
    ("azerbaijan", "russia", "cooperative"),
    ("georgia", "russia", "hostile"),
    ("armenia", "iran", "neutral"),
    ("japan", "russia", "strained"),
    ("greece", "armenia", "allied"),
)


def pair_url(a: str, b: str) -> str:
    return "/relations/{}--{}/".format(*sorted((a, b)))


def cells_of(relations: Sequence[tuple[str, str, str]]) -> dict[tuple[str, str], ChartCell]:
    return {(min(a, b), max(a, b)): ChartCell(status, pair_url(a, b), "") for a, b, status in relations}


def edges_of(relations: Sequence[tuple[str, str, str]]) -> list[ChartEdge]:
    return [ChartEdge(a, b, status, pair_url(a, b), "") for a, b, status in relations]


POINTS = (
    TimelinePoint("2018-05-08", "cooperative", "/briefings/velvet/", "Velvet revolution"),
    TimelinePoint("2020-11-10", "neutral", "/briefings/ceasefire/", "Ceasefire & after"),
    TimelinePoint("2023-09-20", "strained", "/briefings/offensive/", "Offensive"),
    TimelinePoint("2023-09-20", "hostile", "/briefings/protests/", "Protests"),
    TimelinePoint("2024-05-08", "strained", "/briefings/pashinyan-in-moscow/", "Pashinyan in Moscow"),
)


def matrix(countries: Sequence[ChartCountry] = COUNTRIES,
           relations: Sequence[tuple[str, str, str]] = RELATIONS, title: str = "Matrix") -> str:
    return relation_matrix_svg(countries, cells_of(relations), VOCABULARY, title)


def network(countries: Sequence[ChartCountry] = COUNTRIES,
            relations: Sequence[tuple[str, str, str]] = RELATIONS, title: str = "Map") -> str:
    return relation_network_svg(countries, edges_of(relations), VOCABULARY, title)


def timeline(points: Sequence[TimelinePoint] = POINTS, title: str = f"Armenia {DASH} Russia") -> str:
    return status_timeline_svg(points, VOCABULARY, title)


CHARTS: dict[str, Callable[[str], str]] = {
    "matrix": lambda title: matrix(title=title),
    "network": lambda title: network(title=title),
    "timeline": lambda title: timeline(title=title),
    "empty matrix": lambda title: relation_matrix_svg(COUNTRIES, {}, VOCABULARY, title),
    "empty network": lambda title: relation_network_svg(COUNTRIES, [], VOCABULARY, title),
    "empty timeline": lambda title: status_timeline_svg([], VOCABULARY, title),
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}a"))


def status_groups(root: ET.Element) -> dict[str, tuple[ET.Element, ET.Element]]:
    """Link href -> (link, the `status-<word>` group around it)."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.attrib.get("class", "").startswith("status-"):
            for a in group.findall(f"{SVG}a"):
                found[a.attrib["href"]] = (a, group)
    return found


def description(root: ET.Element) -> str:
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    return desc.text or ""


def tooltip(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    return x, y, w, h


# -- envelope, accessibility and safety ------------------------------------------------

@pytest.mark.parametrize("kind", CHARTS)
def test_every_chart_is_an_accessible_image_titled_as_given(kind: str) -> None:
    title = f"Relations <{kind}> & more"
    root = parse(CHARTS[kind](title))
    assert root.tag == f"{SVG}svg"
    has_links = root.find(f".//{SVG}a") is not None
    assert root.attrib["role"] == ("group" if has_links else "img")  # links in an img are unreachable
    _, _, width, height = view_box(root)
    assert width > 0 and height > 0
    assert (float(root.attrib["width"]), float(root.attrib["height"])) == (width, height)
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    first, second = list(root)[:2]
    assert (first.tag, first.attrib["id"], first.text) == (f"{SVG}title", title_id, title)
    assert (second.tag, second.attrib["id"]) == (f"{SVG}desc", desc_id)
    assert second.text and len(second.text) > 10


@pytest.mark.parametrize("kind", CHARTS)
def test_charts_have_no_styles_scripts_or_external_resources(kind: str) -> None:
    svg = CHARTS[kind]("T")
    root = parse(svg)
    allowed = {"svg", "title", "desc", "g", "a", "path", "rect", "circle", "text"}
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in allowed, element.tag
        assert "style" not in element.attrib
        assert element.attrib.get("font-family", "inherit") == "inherit"
        for name, value in element.attrib.items():
            assert "url(" not in value and "javascript:" not in value.lower()
            if name == "href":
                assert element.tag == f"{SVG}a" and value.startswith("/")
    assert "xlink" not in svg and "@import" not in svg


def test_two_charts_on_one_page_have_distinct_ids() -> None:
    charts = (matrix(), network(), timeline(), matrix(title="2"))
    ids = [parse(svg).attrib["aria-labelledby"] for svg in charts]
    assert len(set(ids)) == len(ids)


def test_names_titles_and_urls_are_escaped() -> None:
    hostile_title = '</title><script>alert("x")</script> & Ελλάδα'
    for svg in (matrix(title=hostile_title), network(title=hostile_title)):
        root = parse(svg)
        assert tooltip(root) == hostile_title
        assert not list(root.iter(f"{SVG}script"))
        shown = texts(root)
        for name in (TRICKY, "日本", "Ελλάδα", "Armenia"):
            assert name in shown
        hrefs = {a.attrib["href"] for a in links(root)}
        assert "/countries/iran/?a=1&b=2" in hrefs
        assert 'href="/countries/iran/?a=1&amp;b=2"' in svg and '>Iran &lt;&amp;&gt; "Rep.' in svg


def test_characters_xml_cannot_hold_are_dropped() -> None:
    countries = (ChartCountry("a", "Bell\x07land\x00", "/a/"), ChartCountry("b", "Tab\tland", "/b/"))
    root = parse(relation_matrix_svg(countries, {("a", "b"): ChartCell("neutral", "/ab/", "")},
                                     VOCABULARY, "t\x1b"))
    assert "Bellland" in texts(root)


def test_tooltips_keep_a_shortened_name_in_full() -> None:
    long_name = "The United Kingdom of Great Britain and Northern Ireland"
    countries = (ChartCountry("uk", long_name, "/uk/"), ChartCountry("fr", "France", "/fr/"))
    root = parse(relation_matrix_svg(countries, {("fr", "uk"): ChartCell("allied", "/fr--uk/", "")},
                                     VOCABULARY, "t"))
    shown = [t for t in texts(root) if t.startswith("The United")]
    assert shown and all(t.endswith("…") and len(t) < len(long_name) for t in shown)
    assert long_name in [tooltip(a) for a in links(root) if a.attrib["href"] == "/uk/"]


# -- determinism ------------------------------------------------------------------------

def shuffled(seed: int) -> tuple[list[ChartCountry], list[tuple[str, str, str]], list[TimelinePoint]]:
    rng = random.Random(seed)
    countries, relations, points = list(COUNTRIES), list(RELATIONS), list(POINTS)
    rng.shuffle(countries)
    rng.shuffle(relations)
    rng.shuffle(points)
    # Statements of one day keep their given order: that order decides the current status.
    for day in {p.date for p in points}:
        slots = [k for k, p in enumerate(points) if p.date == day]
        for slot, point in zip(slots, [p for p in POINTS if p.date == day], strict=True):
            points[slot] = point
    relations = [(b, a, s) if rng.random() < 0.5 else (a, b, s) for a, b, s in relations]
    return countries, relations, points


@pytest.mark.parametrize("seed", range(5))
def test_shuffled_input_gives_byte_identical_output(seed: int) -> None:
    countries, relations, points = shuffled(seed)
    assert matrix(countries, relations) == matrix()
    assert network(countries, relations) == network()
    assert timeline(points) == timeline()


def test_output_does_not_depend_on_the_hash_seed() -> None:
    script = (
        "import hashlib, tests.test_charts as t;"
        "print(hashlib.sha256((t.matrix() + t.network() + t.timeline()).encode()).hexdigest())"
    )
    digests = {
        subprocess.run([sys.executable, "-c", script], cwd=REPO, env={"PYTHONHASHSEED": seed},
                       capture_output=True, text=True, check=True).stdout.strip()
        for seed in ("0", "1", "12345")
    }
    here = hashlib.sha256((matrix() + network() + timeline()).encode()).hexdigest()
    assert digests == {here}


# -- colours -------------------------------------------------------------------------------

def rgb(colour: str) -> tuple[int, int, int]:
    assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.parametrize("length", [1, 2, 3, 6, 10])
def test_colours_run_from_green_through_grey_to_red(length: int) -> None:
    words = [f"w{k}" for k in range(length)]
    colours = [rgb(c) for c in status_palette(words).values()]
    assert len(set(colours)) == length
    redness = [(r - g) / (r + g + b) for r, g, b in colours]
    assert redness == sorted(redness)
    if length > 1:
        assert colours[0][1] > colours[0][0] + 40
        assert colours[-1][0] > colours[-1][1] + 40
    if length % 2:
        r, g, b = colours[length // 2]
        assert max(r, g, b) - min(r, g, b) < 25
    for (r1, g1, b1), (r2, g2, b2) in itertools.pairwise(colours):
        assert abs(r1 - r2) + abs(g1 - g2) + abs(b1 - b2) >= 20


def test_default_vocabulary_matches_the_theme_where_the_ramp_has_its_stops() -> None:
    palette = status_palette(VOCABULARY)
    assert (palette["allied"], palette["strained"], palette["hostile"], palette["conflict"]) == (
        "#1a7f37", "#b35900", "#c0392b", "#7d1d1d")


@pytest.mark.parametrize("length", [1, 2, 6, 10])
def test_line_styles_tell_statuses_apart_without_colour(length: int) -> None:
    styles = status_styles([f"w{k}" for k in range(length)])
    assert len({(s.stroke_width, s.dash) for s in styles}) == length
    for style in styles:
        assert (style.dash is None) == (style.warmth < 0.5)


def test_a_vocabulary_with_a_word_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        status_palette(["good", "bad", "good"])


# -- matrix ---------------------------------------------------------------------------------

def squares(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"M([\d.]+) ([\d.]+)h", d)]


def matrix_geometry(root: ET.Element) -> tuple[float, float, dict[str, int]]:
    """The matrix origin and each country's row, read from the drawing itself."""
    diagonal = root.find(f".//{SVG}path[@class='chart-diagonal']")
    assert diagonal is not None
    left, top = squares(diagonal.attrib["d"])[0]
    rows = sorted((float(t.attrib["y"]), "".join(t.itertext()))
                  for t in root.iter(f"{SVG}text") if t.attrib.get("text-anchor") == "end")
    return left, top, {name: index for index, (_, name) in enumerate(rows)}


def test_matrix_colours_each_pair_by_its_status_in_both_its_cells() -> None:
    root = parse(matrix())
    left, top, row_of = matrix_geometry(root)
    names = {c.id: c.name for c in COUNTRIES}
    palette = status_palette(VOCABULARY)
    cells = status_groups(root)
    assert len(cells) == len(RELATIONS)
    assert len([a for a in links(root) if a.attrib["href"].startswith("/relations/")]) == len(RELATIONS)
    for a, b, status in RELATIONS:
        link, group = cells[pair_url(a, b)]
        path = link.find(f"{SVG}path")
        assert path is not None and "fill" not in path.attrib
        assert (group.attrib["class"], group.attrib["fill"]) == (f"status-{status}", palette[status])
        first, second = sorted((names[a], names[b]), key=lambda name: row_of[name])
        assert tooltip(link) == f"{first} {DASH} {second}: {status}"
        i, j = row_of[names[a]], row_of[names[b]]
        placed = {(round((y - top) / 18), round((x - left) / 18)) for x, y in squares(path.attrib["d"])}
        assert placed == {(i, j), (j, i)}


def test_matrix_rows_are_alphabetical_ignoring_accents() -> None:
    countries = [ChartCountry(i, n, f"/{i}/") for i, n in
                 (("z", "Zambia"), ("a", "Åland"), ("b", "Belgium"), ("c", "austria"))]
    cells = {("a", "z"): ChartCell("allied", "/az/", "")}
    root = parse(relation_matrix_svg(countries, cells, VOCABULARY, "t"))
    _, _, row_of = matrix_geometry(root)
    assert sorted(row_of, key=row_of.__getitem__) == ["Åland", "austria", "Belgium", "Zambia"]


def test_matrix_uses_the_given_pair_label() -> None:
    cells = {("armenia", "russia"): ChartCell("strained", "/r/", "Armenia and Russia")}
    root = parse(relation_matrix_svg(COUNTRIES, cells, VOCABULARY, "t"))
    assert [tooltip(a) for a in links(root) if a.attrib["href"] == "/r/"] == ["Armenia and Russia: strained"]


def many_countries(count: int) -> list[ChartCountry]:
    return [ChartCountry(f"c{k:02d}", f"Republic of Country {k:02d}", f"/countries/c{k:02d}/",
                         f"Region {k % 6}") for k in range(count)]


def test_matrix_canvas_grows_with_the_countries_and_keeps_text_size() -> None:
    small = parse(matrix(COUNTRIES[:2], [("armenia", "azerbaijan", "conflict")]))
    everyone = many_countries(60)
    full = [(a.id, b.id, VOCABULARY[(i + j) % 6]) for i, a in enumerate(everyone)
            for j, b in enumerate(everyone) if i < j]
    large_svg = relation_matrix_svg(everyone, cells_of(full), VOCABULARY, "All pairs")
    large = parse(large_svg)
    assert view_box(large)[2] > 60 * 18 > view_box(small)[2]
    assert small.attrib["font-size"] == large.attrib["font-size"] == "12"
    assert len(links(large)) == len(full) + 2 * 60
    columns = [t for t in large.iter(f"{SVG}text") if "rotate(-45" in t.attrib.get("transform", "")]
    assert len(columns) == 60


WORLD = (
    "Afghanistan", "Albania", "Algeria", "Argentina", "Armenia", "Australia", "Austria",
    "Azerbaijan", "Belarus", "Belgium", "Bosnia and Herzegovina", "Brazil", "Bulgaria", "Canada",
    "China", "Croatia", "Cyprus", "Czechia", "Denmark", "Egypt", "Estonia", "Finland", "France",
    "Georgia", "Germany", "Greece", "Hungary", "India", "Iran", "Iraq", "Israel", "Italy", "Japan",
    "Jordan", "Kazakhstan", "Kyrgyzstan", "Latvia", "Lebanon", "Lithuania", "Moldova",
    "Netherlands", "North Korea", "Norway", "Pakistan", "Poland", "Qatar", "Romania", "Russia",
    "Saudi Arabia", "Serbia", "Slovakia", "South Korea", "Spain", "Sweden", "Syria", "Tajikistan",
    "Türkiye", "Ukraine", "United Kingdom", "United States",
)


def test_matrix_of_sixty_countries_with_every_pair_covered_stays_under_300_kb() -> None:
    countries = [ChartCountry(name.lower().replace(" ", "-"), name, f"/countries/{name.lower()}/")
                 for name in WORLD]
    every_pair = [(a.id, b.id, VOCABULARY[(i + j) % 6]) for i, a in enumerate(countries)
                  for j, b in enumerate(countries) if i < j]
    svg = matrix(countries, every_pair)
    assert len(every_pair) == 1770
    assert len(status_groups(parse(svg))) == 1770
    assert len(svg.encode()) < 300_000


def test_matrix_refuses_data_it_cannot_draw() -> None:
    def draw(cells: dict[tuple[str, str], ChartCell], countries: Sequence[ChartCountry] = COUNTRIES) -> str:
        return relation_matrix_svg(countries, cells, VOCABULARY, "t")

    with pytest.raises(ValueError, match="'friendly' is not in the vocabulary"):
        draw({("armenia", "russia"): ChartCell("friendly", "/r/", "")})
    with pytest.raises(ValueError, match="'atlantis'"):
        draw({("armenia", "atlantis"): ChartCell("allied", "/r/", "")})
    with pytest.raises(ValueError, match="twice"):
        draw({("armenia", "russia"): ChartCell("allied", "/r/", ""),
              ("russia", "armenia"): ChartCell("hostile", "/r/", "")})
    with pytest.raises(ValueError, match="twice"):
        draw({}, [*COUNTRIES, COUNTRIES[0]])


def test_pairs_covered_without_a_status_are_drawn_faint_and_named_so() -> None:
    relations = [("armenia", "ukraine", ""), ("armenia", "russia", "strained")]
    countries = [*COUNTRIES, ChartCountry("ukraine", "Ukraine", "/countries/ukraine/")]
    for root in (parse(matrix(countries, relations)), parse(network(countries, relations))):
        found = status_groups(root)
        link, group = found[pair_url("armenia", "ukraine")]
        assert group.attrib["class"] == "status-none"
        assert "#8c959f" in group.attrib.values()
        assert tooltip(link) == "Armenia \u2013 Ukraine: covered, no status stated"
        assert found[pair_url("armenia", "russia")][1].attrib["class"] == "status-strained"
        assert "covered, no status stated" in texts(root)
    assert "covered, no status stated" not in texts(parse(matrix()))
    with pytest.raises(ValueError, match="not in the vocabulary"):
        timeline([TimelinePoint("2024-05-08", "", "/a/", "a")])


# -- empty charts --------------------------------------------------------------------------

@pytest.mark.parametrize("svg", [
    relation_matrix_svg(COUNTRIES, {}, VOCABULARY, "t"),
    relation_matrix_svg([], {}, VOCABULARY, "t"),
    relation_network_svg(COUNTRIES, [], VOCABULARY, "t"),
    relation_network_svg([], [], (), "t"),
    status_timeline_svg([], VOCABULARY, "t"),
])
def test_charts_without_relations_say_so(svg: str) -> None:
    root = parse(svg)
    shown = texts(root)
    assert len(shown) == 1 and shown[0].lower().startswith("no relation")
    assert not links(root)


# -- network -------------------------------------------------------------------------------

def node_positions(root: ET.Element) -> dict[str, tuple[float, float]]:
    """Country URL -> node centre."""
    positions = {}
    for a in links(root):
        circle = a.find(f"{SVG}circle")
        if circle is not None:
            positions[a.attrib["href"]] = (float(circle.attrib["cx"]), float(circle.attrib["cy"]))
    return positions


def test_network_links_nodes_to_countries_and_edges_to_pairs() -> None:
    root = parse(network())
    nodes = node_positions(root)
    assert set(nodes) == {c.url for c in COUNTRIES}
    styles = {s.word: s for s in status_styles(VOCABULARY)}
    by_url = {c.id: c.url for c in COUNTRIES}
    edges = status_groups(root)
    assert len(edges) == len(RELATIONS)
    for a, b, status in RELATIONS:
        edge, group = edges[pair_url(a, b)]
        assert group.attrib["class"] == f"status-{status}"
        assert group.attrib["stroke"] == styles[status].colour
        assert float(group.attrib["stroke-width"]) == styles[status].stroke_width
        assert group.attrib.get("stroke-dasharray") == styles[status].dash
        assert tooltip(edge).endswith(f": {status}")
        line = edge.findall(f"{SVG}path")[-1]
        assert set(line.attrib) == {"d"}
        start = re.match(r"M([-\d.]+) ([-\d.]+)Q[-\d.]+ [-\d.]+ ([-\d.]+) ([-\d.]+)$", line.attrib["d"])
        assert start is not None
        ends = {(float(start[1]), float(start[2])), (float(start[3]), float(start[4]))}
        assert ends == {nodes[by_url[a]], nodes[by_url[b]]}


def test_network_places_nodes_on_a_circle_grouped_by_region() -> None:
    countries = many_countries(30)
    relations = [(countries[0].id, c.id, "neutral") for c in countries[1:]]
    root = parse(network(countries, relations))
    nodes = node_positions(root)
    xs, ys = [x for x, _ in nodes.values()], [y for _, y in nodes.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    radii = [math.hypot(x - cx, y - cy) for x, y in nodes.values()]
    assert max(radii) - min(radii) < 1.5
    region_of = {c.url: c.region for c in countries}
    around = sorted(nodes, key=lambda url: math.atan2(nodes[url][1] - cy, nodes[url][0] - cx))
    changes = sum(region_of[a] != region_of[b] for a, b in zip(around, around[1:] + around[:1], strict=True))
    assert changes == 6


def test_network_labels_lie_inside_the_canvas_by_estimate() -> None:
    root = parse(network([*many_countries(40)[:3], ChartCountry("x", "W" * 40, "/x/")],
                         [("c00", "x", "hostile")]))
    _, _, width, height = view_box(root)
    group = root.find(f"{SVG}g")
    assert group is not None
    shift = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", group.attrib["transform"])
    assert shift is not None
    for x, y in node_positions(root).values():
        assert 0 < x + float(shift[1]) < width and 0 < y + float(shift[2]) < height


# -- timeline -------------------------------------------------------------------------------

def markers(root: ET.Element) -> list[tuple[float, float, str, str]]:
    """(x, y, status, href) of every statement, in document order."""
    found = []
    for a in links(root):
        circle = a.find(f"{SVG}circle")
        assert circle is not None
        found.append((float(circle.attrib["cx"]), float(circle.attrib["cy"]),
                      circle.attrib["class"].removeprefix("status-"), a.attrib["href"]))
    return found


def step_vertices(root: ET.Element) -> list[tuple[float, float]]:
    step = root.find(f".//{SVG}path[@class='timeline-step']")
    assert step is not None
    commands = re.findall(r"([MHV])([-\d.]+)(?: ([-\d.]+))?", step.attrib["d"])
    x, y = float(commands[0][1]), float(commands[0][2])
    vertices = [(x, y)]
    for command, value, _ in commands[1:]:
        if command == "H":
            x = float(value)
        else:
            y = float(value)
        vertices.append((x, y))
    return vertices


def test_timeline_orders_statements_by_date_and_steps_through_them() -> None:
    given = list(reversed(POINTS))
    root = parse(timeline(given))
    found = markers(root)
    assert [href for *_, href in found] == [p.url for p in sorted(given, key=lambda p: p.date)]
    xs = [x for x, *_ in found]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    row = {word: k for k, word in enumerate(VOCABULARY)}
    for (_, y1, s1, _), (_, y2, s2, _) in itertools.pairwise(found):
        assert (y1 < y2) == (row[s1] < row[s2])
    vertices = step_vertices(root)
    # Level until the next statement, then straight up or down to it, then on to the edge.
    assert vertices[0] == found[0][:2]
    for k in range(1, len(found)):
        x, y = found[k][:2]
        assert vertices[2 * k - 1] == (x, found[k - 1][1])
        assert vertices[2 * k] == (x, y)
    assert len(vertices) == 2 * len(found)
    last_x, last_y, last_status, _ = found[-1]
    assert last_status == POINTS[-1].status
    assert vertices[-1][1] == last_y and vertices[-1][0] > last_x
    # Given reversed, 2023-09-20 says hostile, then strained: strained ever since.
    assert "Current status: strained (since 2023-09-20)" in description(root)
    assert "Current status: strained (since 2024-05-08)" in description(parse(timeline()))


def test_statements_of_one_day_keep_their_given_order_and_the_last_is_current() -> None:
    morning = TimelinePoint("2024-05-08", "hostile", "/first/", "Z first")
    evening = TimelinePoint("2024-05-08", "strained", "/second/", "A second")
    earlier = TimelinePoint("2024-01-02", "allied", "/earlier/", "Earlier")
    for given in ([morning, evening], [evening, morning]):
        root = parse(timeline([given[0], given[1], earlier]))
        assert [href for *_, href in markers(root)] == ["/earlier/", given[0].url, given[1].url]
        assert f"Current status: {given[1].status}" in description(root)


def test_timeline_tooltips_give_date_status_and_briefing() -> None:
    root = parse(timeline())
    tips = sorted(tooltip(a) for a in links(root))
    assert "2020-11-10: neutral — Ceasefire & after" in tips
    current = [a for a in links(root) if a.find(f"{SVG}circle[@class='timeline-current']") is not None]
    assert [a.attrib["href"] for a in current] == ["/briefings/pashinyan-in-moscow/"]


def test_timeline_warmest_status_is_on_top() -> None:
    root = parse(timeline())
    labels = sorted((float(t.attrib["y"]), "".join(t.itertext())) for t in root.iter(f"{SVG}text")
                    if t.attrib.get("text-anchor") == "end")
    assert [word for _, word in labels] == list(VOCABULARY)


def test_timeline_of_one_statement() -> None:
    root = parse(timeline([TimelinePoint("2024-05-08", "hostile", "/b/", "Only")]))
    (_x, y, status, _), = markers(root)
    assert status == "hostile"
    assert step_vertices(root)[-1][1] == y
    assert "Current status: hostile" in description(root)


def test_statements_on_one_day_sit_side_by_side_inside_the_plot() -> None:
    points = [TimelinePoint("2024-05-08", VOCABULARY[k % 6], f"/b/{k}/", f"Briefing {k:02d}")
              for k in range(12)]
    root = parse(timeline(points))
    found = markers(root)
    xs = [x for x, *_ in found]
    assert len(set(xs)) == 12 and xs == sorted(xs)
    assert [href for *_, href in found] == [f"/b/{k}/" for k in range(12)]
    _, _, width, _ = view_box(root)
    assert all(0 < x < width for x in xs)


def tick_labels(root: ET.Element) -> list[str]:
    axis = root.find(f".//{SVG}g[@class='chart-axis']")
    assert axis is not None
    return texts(axis)


def test_timeline_axis_fits_spans_from_a_day_to_decades() -> None:
    day = tick_labels(parse(timeline([TimelinePoint("2024-05-08", "neutral", "/a/", "a"),
                                      TimelinePoint("2024-05-09", "hostile", "/b/", "b")])))
    assert 2 <= len(day) <= 10 and "2024" in day[0] and "May" in day[0]
    decades = [TimelinePoint(f"{1980 + k}-06-01", VOCABULARY[k % 6], f"/{k}/", "x") for k in range(0, 44, 3)]
    years = tick_labels(parse(timeline(decades)))
    assert 3 <= len(years) <= 10
    numbers = [int(y) for y in years]
    assert numbers == sorted(numbers) and numbers[0] >= 1980 and numbers[-1] <= 2023
    assert len({b - a for a, b in itertools.pairwise(numbers)}) == 1
    months = tick_labels(parse(timeline([TimelinePoint("2023-11-20", "neutral", "/a/", "a"),
                                         TimelinePoint("2024-04-02", "hostile", "/b/", "b")])))
    assert months == ["Dec 2023", "Jan 2024", "Feb", "Mar", "Apr"]


def test_timeline_refuses_bad_dates_and_statuses() -> None:
    with pytest.raises(ValueError, match="not an ISO date"):
        timeline([TimelinePoint("8 May 2024", "neutral", "/a/", "a")])
    with pytest.raises(ValueError, match="not in the vocabulary"):
        timeline([TimelinePoint("2024-05-08", "frosty", "/a/", "a")])


def test_timeline_orders_one_day_by_time_when_given() -> None:
    points = [TimelinePoint("2024-05-08T18:00:00", "hostile", "/late/", "A"),
              TimelinePoint("2024-05-08T09:00:00", "allied", "/early/", "B")]
    root = parse(timeline(points))
    assert [href for *_, href in markers(root)] == ["/early/", "/late/"]
    assert "Current status: hostile" in description(root)


# -- in a browser ----------------------------------------------------------------------------

def test_charts_render_in_chromium_with_every_label_on_the_canvas(chromium: Any, tmp_path: Path) -> None:
    long = ChartCountry("long", "Saint Vincent and the Grenadines, Commonwealth", "/countries/long/", "Zed")
    big = [*many_countries(59), long]
    big_relations = [(a.id, b.id, VOCABULARY[(i * 7 + j) % 6]) for i, a in enumerate(big)
                     for j, b in enumerate(big) if i < j and (i * j) % 11 == 0]
    charts = [matrix(), network(), timeline(), matrix(big, big_relations), network(big, big_relations),
              network(COUNTRIES[:2], [("armenia", "azerbaijan", "conflict")])]
    page = chromium.new_page(viewport={"width": 1800, "height": 1200})
    page.set_content("<!doctype html><meta charset=utf-8><style>body { font-family: sans-serif }</style>"
                     + "".join(f"<div>{svg}</div>" for svg in charts) + "</body>")
    boxes = page.evaluate("""() => [...document.querySelectorAll('body > div > svg')].map(svg => {
        const box = svg.getBoundingClientRect();
        const outside = [...svg.querySelectorAll('text')].filter(t => {
            const r = t.getBoundingClientRect();
            return r.left < box.left - 0.5 || r.right > box.right + 0.5
                || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
        }).map(t => t.textContent);
        return {width: box.width, height: box.height, outside};
    })""")
    page.close()
    assert len(boxes) == len(charts)
    for box in boxes:
        assert box["width"] > 100 and box["height"] > 50
        assert box["outside"] == []
