"""What made a build: briefgen's own code and the packages its output depends on.

Whatever a build keeps for the next one (its cache, its search bundle, each
page's digest) is trusted only by the same maker. The version number alone
does not say that: a checkout of briefgen between releases, or an upgraded
Markdown parser or Jinja, keeps the number while changing the pages, and a
cache trusted across such a change would keep pages made by the old code (or
fail on records pickled in an older shape).
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

from briefgen import __version__

# The distributions whose version can change what a build writes or keeps.
OUTPUT_PACKAGES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pyyaml",
                   "python-slugify", "pyahocorasick", "zstandard", "pagefind")


@functools.cache
def identity() -> str:
    """briefgen's version, a digest of its code, and the versions of `OUTPUT_PACKAGES`.

    Computed once per process (about 100 small files): the code a process runs
    does not change under it.
    """
    versions = ",".join(f"{name}={_version(name)}" for name in OUTPUT_PACKAGES)
    return f"{__version__}+{code_digest(Path(__file__).parent)};{versions}"


def code_digest(package: Path) -> str:
    """A digest of the Python files under `package`, by path and bytes.

    The theme's templates and assets are not code: each page's digest holds the
    templates it may load, so a theme edit remakes only its pages.
    """
    hasher = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0")
        hasher.update(path.read_bytes() + b"\0")
    return hasher.hexdigest()[:16]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"
