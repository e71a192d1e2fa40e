"""Discovery: sitemap, robots.txt, redirects from aliases, canonical URLs, Open Graph and JSON-LD."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.build import build_site, check_site
from briefgen.config import SiteConfig
from briefgen.diagnostics import Severity
from briefgen.errors import ContentError
from briefgen.publish import sitemap_xml
from briefgen.sitemodel.discovery import SitemapEntry
from briefgen.urls import absolute_url
from tests.conftest import ACTORS_AND_COUNTRIES, REPO, MakeSite, briefing

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
EXAMPLE = "https://briefgen-example.netlify.app/"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "build"
    build_site(REPO, out, search=False)
    return out


def page_urls(out: Path, base: str) -> set[str]:
    """The URL of every built HTML page but the 404 page."""
    found = set()
    for path in out.rglob("index.html"):
        found.add(base + path.relative_to(out).as_posix().removesuffix("index.html"))
    return found


def sitemap(out: Path) -> dict[str, str | None]:
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP_NS}urlset"
    entries = {}
    for url in root:
        loc = url.find(f"{SITEMAP_NS}loc")
        assert loc is not None and loc.text
        lastmod = url.find(f"{SITEMAP_NS}lastmod")
        entries[loc.text] = lastmod.text if lastmod is not None else None
    return entries


def test_sitemap_lists_every_page_with_content_dates(example: Path) -> None:
    entries = sitemap(example)
    assert set(entries) == page_urls(example, EXAMPLE)
    assert EXAMPLE + "404.html" not in entries
    assert entries[EXAMPLE + "briefings/pashinyan-in-moscow/"] == "2024-05-08"
    assert entries[EXAMPLE + "actors/dmitry-peskov/"] == "2024-05-08"
    assert entries[EXAMPLE + "relations/armenia--russia/"] == "2024-05-08"
    assert entries[EXAMPLE + "about/"] is None  # a page with no dated content has no lastmod


def test_sitemap_lastmod_follows_updated_and_the_newest_listed_briefing(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/briefings/2024-01-10-a.md": briefing("A", "2024-01-10", actors="[Putin]",
                                                      updated="2024-06-01"),
        "content/briefings/2024-03-05-b.md": briefing("B", "2024-03-05", actors="[Pashinyan]"),
    })
    build_site(root, search=False)
    entries = sitemap(root / "build")
    assert entries["https://example.org/briefings/a/"] == "2024-06-01"
    assert entries["https://example.org/briefings/b/"] == "2024-03-05"
    assert entries["https://example.org/actors/nikol-pashinyan/"] == "2024-03-05"
    assert entries["https://example.org/"] == "2024-03-05"


def test_robots_points_to_the_sitemap(example: Path) -> None:
    robots = (example / "robots.txt").read_text()
    assert "User-agent: *" in robots
    assert f"Sitemap: {EXAMPLE}sitemap.xml" in robots.splitlines()


def test_canonical_and_open_graph_on_every_page(example: Path) -> None:
    for path in example.rglob("index.html"):
        html = path.read_text()
        url = EXAMPLE + path.relative_to(example).as_posix().removesuffix("index.html")
        assert f'<link rel="canonical" href="{url}">' in html, path
        assert f'<meta property="og:url" content="{url}">' in html, path
        assert '<meta property="og:title" content="' in html
        assert '<meta name="twitter:card" content="summary">' in html
    not_found = (example / "404.html").read_text()
    assert 'rel="canonical"' not in not_found
    assert '<meta name="robots" content="noindex">' in not_found


def json_ld(html: str) -> dict[str, object]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data: dict[str, object] = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    return data


def test_json_ld_types(example: Path) -> None:
    article = json_ld((example / "briefings/pashinyan-in-moscow/index.html").read_text())
    assert article["@type"] == "NewsArticle"
    assert article["datePublished"] == "2024-05-08T00:00:00Z"
    assert article["url"] == EXAMPLE + "briefings/pashinyan-in-moscow/"
    about = article["about"]
    assert isinstance(about, list)
    assert {"@type": "Person", "name": "Dmitry Peskov", "url": EXAMPLE + "actors/dmitry-peskov/"} in about
    assert {"@type": "Country", "name": "Armenia", "url": EXAMPLE + "countries/armenia/"} in about
    person = json_ld((example / "actors/vladimir-putin/index.html").read_text())
    assert person["@type"] == "Person" and person["name"] == "Vladimir Putin"
    assert person["url"] == EXAMPLE + "actors/vladimir-putin/"
    organisation = json_ld((example / "actors/csto/index.html").read_text())
    assert organisation["@type"] == "Organization"
    country = json_ld((example / "countries/armenia/index.html").read_text())
    assert country["@type"] == "Country" and country["identifier"] == "AM"
    home = json_ld((example / "index.html").read_text())
    assert home["@type"] == "WebSite"


def test_json_ld_cannot_be_broken_out_of(make_site: MakeSite) -> None:
    root = make_site({"content/briefings/2024-05-08-x.md": briefing(
        title='"</script><script>alert(1)</script>"', summary='"a & b <!-- c"')})
    build_site(root, search=False)
    html = (root / "build/briefings/x/index.html").read_text()
    data = json_ld(html)
    assert data["headline"] == "</script><script>alert(1)</script>"
    assert data["description"] == "a & b <!-- c"
    assert html.count("<script") == 1


def test_aliases_become_permanent_redirects(make_site: MakeSite) -> None:
    root = make_site({"content/briefings/2024-05-08-x.md": briefing(
        aliases="[/2024/05/old-url/, /old/x.html, /über uns/]")})
    build_site(root, search=False)
    lines = (root / "build/_redirects").read_text().splitlines()
    assert "/2024/05/old-url/ /briefings/x/ 301" in lines
    assert "/old/x.html /briefings/x/ 301" in lines
    assert "/%C3%BCber%20uns/ /briefings/x/ 301" in lines


def test_redirects_live_under_the_base_path(make_site: MakeSite) -> None:
    root = make_site({
        "site.yaml": "title: T\nbase_url: https://example.org/brief/\n",
        "content/briefings/2024-05-08-x.md": briefing(aliases="[/old/]"),
    })
    build_site(root, search=False)
    assert "/brief/old/ /brief/briefings/x/ 301" in (root / "build/_redirects").read_text()


@pytest.mark.parametrize("alias, message", [
    ("/actors/vladimir-putin/", "collides with the page /actors/vladimir-putin/"),
    ("/actors/vladimir-putin", "collides with the page /actors/vladimir-putin/"),
    ("/feed.xml", "collides with the page /feed.xml"),
    ("/sitemap.xml", "collides with the page /sitemap.xml"),
    ("/briefings/x/index.html", "is this briefing's own URL"),
    ("/files/hello.txt", "collides with the page /files/hello.txt"),  # a file of static/
])
def test_alias_colliding_with_a_page_is_an_error_at_its_line(
    make_site: MakeSite, alias: str, message: str
) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/briefings/2024-05-08-x.md": briefing(aliases=f"[{alias}]"),
        "static/files/hello.txt": "Hello.\n",
    })
    errors = [d for d in check_site(root).diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 1
    assert errors[0].path == "content/briefings/2024-05-08-x.md"
    assert errors[0].line == 4 and errors[0].col == 11
    assert message in errors[0].message
    with pytest.raises(ContentError):
        build_site(root, search=False)


def test_an_alias_naming_a_theme_asset_is_an_error(make_site: MakeSite) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, "content/briefings/2024-05-08-x.md": briefing()})
    build_site(root, search=False)
    stylesheet = next((root / "build/assets").glob("*.css")).relative_to(root / "build").as_posix()
    (root / "content/briefings/2024-05-08-x.md").write_text(briefing(aliases=f"[/{stylesheet}]"))
    errors = [d for d in check_site(root).diagnostics if d.severity is Severity.ERROR]
    assert [d.message for d in errors] == [f"alias '/{stylesheet}' collides with the page /{stylesheet}"]


@pytest.mark.parametrize("path", ["feed.xml", "briefings/x/index.html", "sitemap.xml"])
def test_a_static_file_where_the_build_makes_one_is_an_error_naming_it(make_site: MakeSite,
                                                                      path: str) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, "content/briefings/2024-05-08-x.md": briefing()})
    build_site(root, search=False)
    before = (root / "build" / path).read_bytes()
    (root / "static" / path).parent.mkdir(parents=True)
    (root / "static" / path).write_text("mine\n")
    errors = [d for d in check_site(root).diagnostics if d.severity is Severity.ERROR]
    assert [(d.path, d.line) for d in errors] == [(f"static/{path}", 0)]
    assert "stands where the build makes /" in errors[0].message
    with pytest.raises(ContentError):
        build_site(root, search=False)
    assert (root / "build" / path).read_bytes() == before


def test_one_alias_for_two_briefings_is_an_error(make_site: MakeSite) -> None:
    root = make_site({
        "content/briefings/2024-05-08-x.md": briefing(aliases="[/old/]"),
        "content/briefings/2024-05-09-y.md": briefing(aliases="[/old]"),
    })
    errors = [d for d in check_site(root).diagnostics if d.severity is Severity.ERROR]
    assert [(d.path, d.message) for d in errors] == [
        ("content/briefings/2024-05-09-y.md",
         "alias '/old' is already an alias of content/briefings/2024-05-08-x.md (line 4)"),
    ]


def test_missing_base_url_fails_the_build_and_warns_in_check(make_site: MakeSite) -> None:
    root = make_site({"site.yaml": "title: T\n", "content/briefings/2024-05-08-x.md": briefing()})
    warnings = [d for d in check_site(root).diagnostics if "base_url" in d.message]
    assert [(d.path, d.severity) for d in warnings] == [("site.yaml", Severity.WARNING)]
    with pytest.raises(ContentError) as raised:
        build_site(root, search=False)
    assert "base_url is not set" in raised.value.report.errors[0].message
    assert not (root / "build").exists()
    build_site(root, search=False, base_url="http://127.0.0.1:8000/")
    html = (root / "build/briefings/x/index.html").read_text()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/briefings/x/">' in html


def test_descriptions_say_what_each_page_is(example: Path) -> None:
    def description(path: str) -> str:
        found = re.search(r'<meta name="description" content="([^"]*)">', (example / path).read_text())
        assert found is not None, path
        return found.group(1)

    assert description("relations/armenia--russia/index.html") == (
        "Relations between Armenia and Russia: strained since 8 May 2024; 1 briefing.")
    assert description("briefings/pashinyan-in-moscow/index.html").startswith("Pashinyan and Putin met")
    assert description("actors/dmitry-peskov/index.html") != description("index.html")


def _sitemap_through_elementtree(entries: list[SitemapEntry], config: SiteConfig) -> bytes:
    root = ET.Element("urlset", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    for entry in entries:
        item = ET.SubElement(root, "url")
        ET.SubElement(item, "loc").text = absolute_url(config, entry.url)
        if entry.lastmod:
            ET.SubElement(item, "lastmod").text = entry.lastmod
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode()


@given(st.lists(st.builds(
    SitemapEntry,
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(lambda t: f"/{t}/"),
    st.none() | st.text(alphabet="0123456789-<&>'\"", max_size=10),
), max_size=5))
def test_sitemap_text_is_what_elementtree_writes(entries: list[SitemapEntry]) -> None:
    config = SiteConfig(title="T", base_url="https://example.org/")
    assert sitemap_xml(entries, config) == _sitemap_through_elementtree(entries, config)
