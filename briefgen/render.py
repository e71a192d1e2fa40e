"""Render pages with Jinja: the site's templates first, then the built-in theme.

Autoescaping is on for every template whatever its extension, undefined
names are errors, and content is only ever passed in as data.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import traceback
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup

from briefgen.cache import DigestOnce, data_digest, digest
from briefgen.charts.plain import draw_matrix, draw_network, draw_timeline
from briefgen.config import SiteConfig
from briefgen.errors import BuildError
from briefgen.identity import identity
from briefgen.sitemodel.spec import PageSpec, plain
from briefgen.sitemodel.views import Card
from briefgen.stylesheet import status_stylesheet
from briefgen.template_inputs import TemplateInputs
from briefgen.urls import output_path

TEMPLATES_DIR = "templates"
THEME = resources.files("briefgen") / "theme"
CARD_TEMPLATE = "partials/card.html"  # what `card()` renders


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file of the built site: its path relative to the output folder, and its bytes."""

    path: str
    data: bytes


def make_environment(root: Path, site: Mapping[str, Any], compiled: MutableMapping[str, bytes] | None = None,
                     cards: KeptCards | None = None) -> jinja2.Environment:
    """`templates/` of the site overrides the theme by name; `theme/<name>` is always the original.

    `site` (see `site_context`) and the URL helpers `rel` and `absolute` are globals.
    A long-lived caller passes `compiled` to keep the templates' compiled code between
    builds (at 10,000 briefings a fifth of the preview's rebuild after a retitle went
    on compiling the templates again); Jinja compiles a template again when its
    source changed. `cards` keeps the cards' HTML between its builds likewise.
    """
    theme_loader = _TemplateFolder(str(THEME / "templates"), "theme")
    loader = jinja2.ChoiceLoader([
        _TemplateFolder(str(root / TEMPLATES_DIR), TEMPLATES_DIR),
        theme_loader,
        jinja2.PrefixLoader({"theme": theme_loader}),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: templates cannot change under it
        bytecode_cache=_KeptBytecode(compiled) if compiled is not None else None,
    )
    env.globals.update(site=site, card=_CardRenderer(env, cards), draw_matrix=draw_matrix,
                       draw_network=draw_network, draw_timeline=draw_timeline, **_url_helpers(site))
    return env


class _TemplateFolder(jinja2.FileSystemLoader):
    """A folder of templates, named as errors show its files (`templates/x.html`,
    `theme/x.html`, as `{% extends %}` names the theme's), that says which file is not
    UTF-8 and where, rather than failing in whichever template included it."""

    def __init__(self, folder: str, label: str) -> None:
        super().__init__(folder)
        self.folder, self.label = Path(folder), label

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raw = self.folder.joinpath(*split_template_path(template)).read_bytes()
            try:
                raw.decode("utf-8")
                start = exc.start  # changed since: the position Jinja read
            except UnicodeDecodeError as again:
                start = again.start
            line = raw.count(b"\n", 0, start) + 1
            column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
            raise TemplateNotText(f"{self.label}/{template}", line, column, raw[start:start + 1]) from exc


class TemplateNotText(jinja2.TemplateError):
    """A template file that is not UTF-8: where its first undecodable byte is."""

    def __init__(self, name: str, line: int, column: int, byte: bytes) -> None:
        super().__init__(f"{name}:{line}:{column}: not valid UTF-8 (byte 0x{byte.hex()} cannot be decoded); "
                         "save the template as UTF-8")
        self.name = name


class _KeptBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in a mapping. Jinja keys them by name and file, and
    checks the source's checksum on loading; the key here adds what else the
    compiled code depends on, this briefgen's version (its environment's options)."""

    def __init__(self, store: MutableMapping[str, bytes]) -> None:
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.store.get(f"{identity()}:{bucket.key}")
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[f"{identity()}:{bucket.key}"] = bucket.bytecode_to_string()


class KeptCards:
    """Each briefing card's HTML as a long-lived cache's builds rendered it, by the card's
    content, for one digest of the card's templates and the site data (`plan_outputs`).

    A newest briefing shifts every page of the briefing lists: at 10,000 briefings
    the preview renders 200 list pages again, and most of that went on rendering
    their 10,000 cards, which had not changed. Only the cards the last build
    showed are kept, and none once the templates or the site context changed.
    """

    def __init__(self) -> None:
        self.inputs = b""
        self.earlier: dict[bytes, Markup] = {}
        self.now: dict[bytes, Markup] = {}

    def begin(self, inputs: bytes) -> KeptCards:
        """A new build, whose templates and site context have the digest `inputs`."""
        self.earlier = self.now if inputs == self.inputs else {}
        self.now, self.inputs = {}, inputs
        return self

    def get(self, key: bytes) -> Markup | None:
        found = self.now.get(key)
        if found is None:
            found = self.earlier.get(key)
            if found is not None:
                self.now[key] = found
        return found

    def put(self, key: bytes, html: Markup) -> None:
        self.now[key] = html


class _CardRenderer:
    """`card(b)` in templates: partials/card.html for one briefing card, rendered once.

    A card is the same on every list that shows it within a build (the
    site model makes one per briefing), so its HTML is kept by URL; between
    builds, by its content (`KeptCards`).
    """

    def __init__(self, env: jinja2.Environment, kept: KeptCards | None = None) -> None:
        self.env = env
        self.kept = kept
        self.html: dict[str, Markup] = {}

    def __call__(self, card: Mapping[str, Any]) -> Markup:
        url: str = card["url"]
        found = self.html.get(url)
        if found is None:
            kept, key = self.kept, None
            if kept is not None and (key := _content_key(card)) is not None:
                found = kept.get(key)
            if found is None:
                template = self.env.get_template(CARD_TEMPLATE)
                found = Markup(template.render(b=card).rstrip("\n"))
                if kept is not None and key is not None:
                    kept.put(key, found)
            self.html[url] = found
        return found


def _content_key(card: Mapping[str, Any]) -> bytes | None:
    """A card's content as a key: its pickle (which tells Markup("&amp;") from "&amp;" and
    True from 1; 3 µs a card), or None when it does not pickle."""
    try:
        return pickle.dumps(card, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def theme_assets(vocabulary: Sequence[str]) -> list[OutputFile]:
    """The theme's static files and the status colours of the site's vocabulary,
    their names fingerprinted with a content hash."""
    sources = [(entry.name, entry.read_bytes())
               for entry in sorted((THEME / "static").iterdir(), key=lambda e: e.name)]
    sources.append(("status.css", status_stylesheet(vocabulary).encode()))
    files = []
    for filename, data in sources:
        name = PurePosixPath(filename)
        fingerprint = hashlib.sha256(data).hexdigest()[:10]
        files.append(OutputFile(f"assets/{name.stem}.{fingerprint}{name.suffix}", data))
    return files


def site_context(
    config: SiteConfig, menu: list[dict[str, Any]], assets: Iterable[OutputFile]
) -> dict[str, Any]:
    """What every template sees as `site`: plain data, the same for every page."""
    base_path = urlsplit(config.base_url).path or "/"
    return {
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "base_path": base_path if base_path.endswith("/") else base_path + "/",
        "language": config.language,
        "menu": menu,
        "assets": {_asset_key(f.path): "/" + f.path for f in assets},
        "extra": dict(config.extra),
    }


def _asset_key(path: str) -> str:
    name = PurePosixPath(path)
    stem = name.stem.rsplit(".", 1)[0]
    return stem + name.suffix


def templates_digest(root: Path) -> bytes:
    """One digest of every template a page could use: the site's, then the theme's."""
    parts: list[bytes] = []
    for label, folder in (("site", root / TEMPLATES_DIR), ("theme", Path(str(THEME / "templates")))):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts += [f"{label}/{path.relative_to(folder).as_posix()}".encode(), path.read_bytes()]
    return digest(*parts)


def site_wide_digest(site: Mapping[str, Any]) -> bytes:
    """What every page shares but its templates: briefgen's code (`identity`) and the site data."""
    return digest(identity().encode(), data_digest(dict(site)))


def template_inputs(env: jinja2.Environment, root: Path,
                    parsed: MutableMapping[bytes, tuple[str, ...] | None] | None = None) -> TemplateInputs:
    """What each page template of `env` reads (`briefgen.template_inputs`); `parsed`, what
    each template names, as a long-lived caller keeps it."""
    return TemplateInputs(env, {"card": CARD_TEMPLATE}, functools.partial(templates_digest, root), parsed)


class PageDigester:
    """`digester(page)`: a digest of everything the page's output depends on, given the
    `shared` digest, by page template, of that template's sources and the site data
    (`site_wide_digest`): equal digests, equal bytes.

    A briefing card appears on many list pages; it is pickled once, and after
    that stands in every page's data by its own digest.
    """

    def __init__(self, shared: Mapping[str, bytes]) -> None:
        self.shared = shared
        self._reducers: dict[type, Callable[[Any], Any]] = {Card: DigestOnce(Card, dict)}

    def __call__(self, page: PageSpec) -> bytes:
        return digest(self.shared[page.template], page.url.encode(), page.template.encode(),
                      data_digest(plain(page.context), self._reducers))


def render_page(env: jinja2.Environment, page: PageSpec) -> OutputFile:
    """One page to bytes; a template problem becomes a `BuildError` naming template:line."""
    try:
        template = env.get_template(page.template)
        html = template.render(page=plain(page.context), url=page.url)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(
            f"{_display(env, exc.filename or exc.name or page.template)}:{exc.lineno}: "
            f"template syntax error: {exc.message}"
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise BuildError(f"template '{exc.name}' not found (needed for {page.url})") from exc
    except TemplateNotText as exc:
        raise BuildError(f"{exc} (needed for {page.url})") from exc
    except Exception as exc:
        where = _template_frame(env, exc) or page.template
        raise BuildError(f"{where}: {type(exc).__name__}: {exc} (while rendering {page.url})") from exc
    return OutputFile(output_path(page.url), html.encode("utf-8"))


def _url_helpers(site: Mapping[str, Any]) -> dict[str, Any]:
    base_path: str = site["base_path"]

    def rel(url: str) -> str:
        """A site URL ('/actors/x/') under the site's base path."""
        return base_path + url.lstrip("/") if url.startswith("/") else url

    def absolute(url: str) -> str:
        base: str = site["base_url"]
        return (base.rstrip("/") + rel(url)[len(base_path) - 1:]) if base else rel(url)

    return {"rel": rel, "absolute": absolute}


def _template_frame(env: jinja2.Environment, exc: BaseException) -> str | None:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            return f"{_display(env, frame.filename)}:{frame.lineno}"
    return None


def _display(env: jinja2.Environment, filename: str) -> str:
    """A template's file as errors name it: `templates/x.html` for the site's (as content
    errors name content files, from the site folder), `theme/x.html` for the theme's."""
    path = Path(filename)
    folders = env.loader.loaders if isinstance(env.loader, jinja2.ChoiceLoader) else []
    for folder in folders:
        if isinstance(folder, _TemplateFolder) and path.is_relative_to(folder.folder):
            return f"{folder.label}/{path.relative_to(folder.folder).as_posix()}"
    return path.as_posix()
