"""The site's files other than pages: Atom feeds, sitemap.xml, robots.txt, _redirects and
the JSON data exports, serialised from the site model's plain data.

XML is built with ElementTree, which escapes text and attributes; every
output is a function of the content alone, byte for byte.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from briefgen import urls
from briefgen.config import SiteConfig
from briefgen.render import OutputFile
from briefgen.sitemodel.discovery import Redirect, SitemapEntry, redirects, sitemap_entries
from briefgen.sitemodel.exports import (
    briefing_item,
    briefings_document,
    entities_document,
    relations_document,
)
from briefgen.sitemodel.feeds import Feed
from briefgen.sitemodel.model import Remembered, SiteModel
from briefgen.sitemodel.spec import PageSpec
from briefgen.urls import absolute_url, output_path

ATOM = "http://www.w3.org/2005/Atom"
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


PublishMaker = tuple[str, Callable[[], bytes]]


# The site-wide files that show what a briefing shows of itself (its title, summary,
# sources, dates); the others are made of the site's shape alone (`briefgen.kept`).
BRIEFINGS_EXPORT = output_path("/data/briefings.json")
SITEMAP_FILE = output_path(urls.SITEMAP)  # of what briefings show, only their `updated` dates
SHOWS_BRIEFINGS = frozenset({BRIEFINGS_EXPORT, SITEMAP_FILE})


def publish_makers(model: SiteModel, pages: Sequence[PageSpec],
                   remembered: Remembered | None = None) -> list[PublishMaker]:
    """Sitemap, data exports, robots.txt and redirects, as (path, make-the-bytes), the
    largest first; each is made where it is written (feeds are made one by one: `atom_feed`).
    Each briefing's part of briefings.json is kept in `remembered`, when given.
    """
    config = model.linked.config
    return [
        (BRIEFINGS_EXPORT, lambda: briefings_json(model, remembered)),
        (SITEMAP_FILE, lambda: sitemap_xml(sitemap_entries(pages), config)),
        (output_path("/data/entities.json"), lambda: json_bytes(entities_document(model))),
        (output_path("/data/relations.json"), lambda: json_bytes(relations_document(model))),
        (output_path(urls.ROBOTS), lambda: robots_txt(config)),
        (output_path(urls.REDIRECTS), lambda: redirects_file(redirects(model), config)),
    ]


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attributes)
    if text is not None:
        child.text = text
    return child


def atom_feed(feed: Feed, config: SiteConfig) -> OutputFile:
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: config.language})
    _element(root, "id", feed.id)
    _element(root, "title", feed.title)
    if feed.subtitle:
        _element(root, "subtitle", feed.subtitle)
    _element(root, "updated", feed.updated)
    _element(root, "link", rel="self", type="application/atom+xml",
             href=absolute_url(config, feed.url))
    _element(root, "link", rel="alternate", type="text/html",
             href=absolute_url(config, feed.page_url))
    author = _element(root, "author")
    _element(author, "name", config.title)
    if config.base_url:
        _element(author, "uri", config.base_url)
    _element(root, "generator", "briefgen")
    for entry in feed.entries:
        item = _element(root, "entry")
        page = absolute_url(config, entry.url)
        _element(item, "id", entry.id)
        _element(item, "title", entry.title)
        _element(item, "link", rel="alternate", type="text/html", href=page)
        _element(item, "published", entry.published)
        _element(item, "updated", entry.updated)
        for term in entry.categories:
            _element(item, "category", term=term)
        if entry.summary:
            _element(item, "summary", entry.summary)
        if feed.full_content:
            content = _element(item, "content", str(entry.content_html), type="html")
            content.set(XML_BASE, page)
    return OutputFile(output_path(feed.url), _xml_bytes(root))


def sitemap_xml(entries: Sequence[SitemapEntry], config: SiteConfig) -> bytes:
    """The sitemap, written as text: the same bytes ElementTree would give (the tests
    compare them), several times faster for the largest file of a big site."""
    if not entries:
        return f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAPS}" />\n'.encode()
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAPS}">']
    for entry in entries:
        lines += ["  <url>", f"    <loc>{xml_escape(absolute_url(config, entry.url))}</loc>"]
        if entry.lastmod:
            lines.append(f"    <lastmod>{xml_escape(entry.lastmod)}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def _xml_bytes(root: ET.Element) -> bytes:
    """The document, indented; its namespace is the root's `xmlns` attribute."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def robots_txt(config: SiteConfig) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if config.base_url:
        lines.append(f"Sitemap: {absolute_url(config, urls.SITEMAP)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def redirects_file(found: Sequence[Redirect], config: SiteConfig) -> bytes:
    """Netlify's `_redirects`: one `from to 301` line per alias, under the site's base path."""
    def under_base(url: str) -> str:
        return absolute_url(config, url).removeprefix(_origin(config.base_url)) \
            if config.base_url else url

    lines = ["# Old paths of briefings (their `aliases`), redirected permanently."]
    lines += [f"{under_base(r.source)} {under_base(r.target)} 301" for r in found]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _origin(base_url: str) -> str:
    scheme, rest = base_url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def briefings_json(model: SiteModel, remembered: Remembered | None = None) -> bytes:
    """briefings.json; with `remembered`, each briefing's item is encoded once."""
    if remembered is None:
        return json_bytes(briefings_document(model))

    def encoded(position: int) -> Encoded:
        return remembered.of("export item", model, position,
                             lambda: Encoded(_compact(briefing_item(model, position))))

    return json_bytes(briefings_document(model, map(encoded, range(len(model.briefings)))))


class Encoded(bytes):
    """A value already encoded by `json_bytes` (as an item of a top-level list)."""


def json_bytes(document: Mapping[str, Any]) -> bytes:
    """Compact JSON (the C encoder serves only documents without indentation), written
    item by item: a top-level list or generator never exists as one string, so a
    large export costs little more memory than its bytes.

    The bytes are exactly `json.dumps(document, ensure_ascii=False, separators=(",", ":"))`
    and a newline, with every generator a list.
    """
    out = io.BytesIO()
    out.write(b"{")
    for number, (key, value) in enumerate(document.items()):
        out.write(b"," if number else b"")
        out.write(_compact(key) + b":")
        if isinstance(value, (list, tuple, Iterator)):
            out.write(b"[")
            for index, item in enumerate(value):
                made = item if isinstance(item, Encoded) else _compact(item)
                out.write(b"," + made if index else made)
            out.write(b"]")
        else:
            out.write(_compact(value))
    out.write(b"}\n")
    return out.getvalue()


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
