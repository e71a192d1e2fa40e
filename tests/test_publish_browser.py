"""The published site in headless Chromium, served with the headers netlify.toml gives it:
no Content-Security-Policy violation, no request to another host, search that works,
and no serious or critical axe-core violation on any page type of the theme."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from briefgen.build import build_site
from tests.conftest import REPO, _StaticHandler

NETLIFY = tomllib.loads((REPO / "netlify.toml").read_text())
AXE = REPO / "tests/a11y/node_modules/axe-core/axe.min.js"
PAGES = {
    "home": "/",
    "briefing": "/briefings/pashinyan-in-moscow/",
    "actor": "/actors/dmitry-peskov/",
    "country": "/countries/armenia/",
    "relations index": "/relations/",
    "pair": "/relations/armenia--russia/",
    "search": "/search/?q=Peskov",
    "briefings list": "/briefings/",
    "tag": "/tags/diplomacy/",
    "plain page": "/methodology/",
    "not found": "/no/such/page/",
}
HASHED = re.compile(r"[._-][0-9a-f]{7,}\.[a-z_]+$")


def header_rules(path: str) -> dict[str, str]:
    """The headers Netlify would send for `path`: every matching [[headers]] rule, in order."""
    found: dict[str, str] = {}
    for rule in NETLIFY["headers"]:
        pattern: str = rule["for"]
        if path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            found.update(rule["values"])
    return found


class _NetlifyHandler(_StaticHandler):
    def end_headers(self) -> None:
        for name, value in header_rules(urlsplit(self.path).path).items():
            self.send_header(name, value)
        super().end_headers()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example site built with its search index, served with Netlify's headers."""
    out = tmp_path_factory.mktemp("published") / "build"
    result = build_site(REPO, out)
    assert result.warnings == ()
    handler = functools.partial(_NetlifyHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# -- netlify.toml -----------------------------------------------------------------

def csp_directives() -> dict[str, list[str]]:
    policy = header_rules("/")["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_netlify_toml_builds_from_a_clean_checkout() -> None:
    build = NETLIFY["build"]
    command: str = build["command"]
    assert "pip install --quiet . && rm -rf build && " in command
    assert command.index("briefgen check --strict") < command.index("briefgen build")
    assert build["publish"] == "build"
    assert re.fullmatch(r"3\.1[1-9]", build["environment"]["PYTHON_VERSION"])
    for context in ("deploy-preview", "branch-deploy"):
        assert NETLIFY["context"][context]["command"].endswith('--base-url "$DEPLOY_PRIME_URL"')


def test_netlify_security_headers() -> None:
    headers = header_rules("/briefings/x/")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = csp_directives()
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    sources = [value for values in csp.values() for value in values]
    assert not any("unsafe-inline" in v or v == "'unsafe-eval'" for v in sources)


def test_long_cache_lifetimes_only_for_fingerprinted_files(published: tuple[Path, str]) -> None:
    out, _ = published
    cached = 0
    assert "Cache-Control" not in header_rules("/index.html")
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        url = "/" + path.relative_to(out).as_posix()
        control = header_rules(url).get("Cache-Control", "")
        if "max-age=31536000" in control:
            assert HASHED.search(path.name), f"{url} is cached for a year but its name has no hash"
            cached += 1
        elif HASHED.search(path.name) and url.startswith("/assets/"):
            pytest.fail(f"{url} is fingerprinted but not cached")
    assert cached >= 3  # the stylesheet, the search script, the index's fragments


# -- Chromium ---------------------------------------------------------------------

WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def search_for(page: Any, term: str) -> None:
    field = page.locator(".pagefind-ui__search-input")
    field.wait_for(timeout=10_000)
    field.fill(term)
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)


def test_no_csp_violation_on_any_page_type(chromium: Any, published: tuple[Path, str]) -> None:
    _, base = published
    context = chromium.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    for name, url in PAGES.items():
        response = page.goto(base + url)
        assert response is not None
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        if name == "search":
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
            search_for(page, "Armenia")
            page.locator(".pagefind-ui__search-input").press("Enter")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], name
    assert [m for m in console if "Content Security Policy" in m] == []
    context.close()


def test_search_for_peskov_leads_to_the_briefing(chromium: Any, published: tuple[Path, str]) -> None:
    _, base = published
    page = chromium.new_page()
    page.goto(base + "/search/")
    search_for(page, "Peskov")
    links = page.locator(".pagefind-ui__result-link")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "/briefings/pashinyan-in-moscow/" in targets
    assert "/actors/dmitry-peskov/" in targets
    assert not any(t and t.startswith(("/actors/?", "/briefings/?")) for t in targets)
    links.filter(has_text="Pashinyan Visits Moscow").first.click()
    page.wait_for_url(base + "/briefings/pashinyan-in-moscow/")
    assert "Pashinyan Visits Moscow" in page.locator("h1").inner_text()
    page.close()


def test_search_page_says_so_when_there_is_no_index(
    chromium: Any, serve_dir: Any, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    build_site(REPO, out, search=False)
    page = chromium.new_page()
    page.goto(serve_dir(out) + "/search/")
    notice = page.locator("#search-unavailable")
    notice.wait_for(state="visible", timeout=5_000)
    assert "Search is not available" in notice.inner_text()
    page.close()


def test_no_page_requests_another_host(chromium: Any, published: tuple[Path, str]) -> None:
    _, base = published
    origin = urlsplit(base).netloc
    for name, url in PAGES.items():
        page = chromium.new_page()
        requested: list[str] = []
        page.on("request", lambda r, log=requested: log.append(r.url))
        page.goto(base + url)
        if name == "search":
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
        page.wait_for_load_state("networkidle")
        elsewhere = [u for u in requested if urlsplit(u).netloc != origin and not u.startswith("data:")]
        assert elsewhere == [], f"{name} requested {elsewhere}"
        assert any(u.endswith(".css") for u in requested)
        page.close()


# -- accessibility ----------------------------------------------------------------

@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("axe-core is not installed; .ci/run must run: npm ci --prefix tests/a11y")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/a11y)")
    return AXE


A11Y_PAGES = ("home", "briefing", "actor", "country", "relations index", "pair", "search")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violations(
    chromium: Any, published: tuple[Path, str], axe_script: Path, scheme: str
) -> None:
    _, base = published
    # axe is injected as an inline script, which the site's own policy rightly refuses
    context = chromium.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    problems = []
    for name in A11Y_PAGES:
        page.goto(base + PAGES[name])
        if name == "search":
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{name}: {violation['id']} ({violation['impact']}): "
                                f"{violation['help']} at {targets}")
    context.close()
    assert problems == []
