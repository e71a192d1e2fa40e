"""A cache is trusted only by the code that wrote it, not merely by the same version number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen import identity
from briefgen.build import build_site
from tests.test_incremental import Site, snapshot


@pytest.fixture
def fresh_identity() -> Iterator[None]:
    identity.identity.cache_clear()
    yield
    identity.identity.cache_clear()


def test_the_code_digest_follows_the_python_files_only(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "theme").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n")
    (package / "theme" / "page.html").write_text("<p>{{ x }}</p>\n")
    first = identity.code_digest(package)
    (package / "theme" / "page.html").write_text("<p>{{ y }}</p>\n")
    assert identity.code_digest(package) == first, "a theme edit is the pages' business, not the cache's"
    (package / "a.py").write_text("A = 2\n")
    edited = identity.code_digest(package)
    assert edited != first
    (package / "a.py").rename(package / "b.py")
    assert identity.code_digest(package) != edited, "a renamed module is other code"


def test_the_identity_names_the_version_the_code_and_the_packages(fresh_identity: None) -> None:
    made_by = identity.identity()
    assert made_by.startswith(identity.__version__ + "+")
    assert "jinja2=" in made_by and "markdown-it-py=" in made_by and "absent" not in made_by
    assert "\n" not in made_by  # it is a line of every cache file's header


def test_a_cache_written_by_other_code_of_the_same_version_is_not_trusted(
        tmp_path: Path, fresh_identity: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout of briefgen between releases keeps the version number: a cache its
    older code wrote would keep pages (and records) made by that code."""
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    site.apply((0, 2, 3, 1))
    build_site(site.root, use_cache=True)
    warnings: list[str] = []
    assert build_site(site.root, use_cache=True, warn=warnings.append).rendered == 0
    before = snapshot(site.root / "build")

    monkeypatch.setattr(identity, "code_digest", lambda package: "other-code")
    identity.identity.cache_clear()
    result = build_site(site.root, use_cache=True, warn=warnings.append)
    assert warnings == [f"discarding the build cache in {site.root / '.briefgen-cache'}: "
                        "written by another briefgen or Python"]
    assert result.rendered == result.pages
    assert snapshot(site.root / "build") == before
    assert build_site(site.root, use_cache=True, warn=warnings.append).rendered == 0, \
        "the new code's cache is trusted by the new code"
    assert len(warnings) == 1
