"""The browser fixtures work: the example site, built, renders in Chromium."""

from pathlib import Path

from briefgen.build import build_site
from tests.conftest import REPO


def test_briefing_page_renders_in_chromium(chromium, serve_dir, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(REPO, out)
    base = serve_dir(out)
    page = chromium.new_page()
    page.goto(f"{base}/briefings/pashinyan-in-moscow/")
    assert "Pashinyan" in page.locator("h1").inner_text()
    response = page.goto(f"{base}/no/such/page/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    page.close()
