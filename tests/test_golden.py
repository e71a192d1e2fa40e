"""The example site's whole output, compared file by file with tests/golden/example/.

After an intended change of output, regenerate with
`BRIEFGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py` and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from briefgen.build import build_site
from tests.conftest import REPO

GOLDEN = Path(__file__).parent / "golden" / "example"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_example_site_output_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(REPO, out, search=False)  # Pagefind's files follow its version; tested on their own
    built = files_of(out)
    if os.environ.get("BRIEFGEN_UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    expected = files_of(GOLDEN)
    assert sorted(built) == sorted(expected), "the set of output files changed"
    for path, data in expected.items():
        assert built[path].decode() == data.decode(), f"{path} differs from the golden copy"


def test_example_site_has_every_page_the_design_asks_for(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(REPO, out)
    for page in (
        "index.html", "briefings/pashinyan-in-moscow/index.html", "actors/index.html",
        "actors/nikol-pashinyan/index.html", "actors/vladimir-putin/index.html",
        "actors/dmitry-peskov/index.html", "actors/csto/index.html",
        "actors/eurasian-economic-union/index.html", "actors/international-criminal-court/index.html",
        "countries/index.html", "countries/armenia/index.html", "countries/russia/index.html",
        "countries/azerbaijan/index.html", "countries/ukraine/index.html",
        "tags/diplomacy/index.html", "about/index.html", "methodology/index.html", "404.html",
    ):
        assert (out / page).is_file(), page
    briefing = (out / "briefings/pashinyan-in-moscow/index.html").read_text()
    # <title>, <h1>, og:title, twitter:title and the JSON-LD headline; the scrape's repeats are gone
    assert briefing.count("Armenia-Russia Ties Strained as Pashinyan Visits Moscow") == 5
    assert "summarises public reporting" in briefing  # the site's footer override
