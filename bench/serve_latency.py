"""Measure `briefgen serve`'s time from a save on disk to the reloaded page in Chromium.

    python bench/serve_latency.py SITE BRIEFING_FILE PAGE_URL_PATH [--runs 7]
        [--edit title|prose|tag|new|actor-template]

e.g. `python bench/serve_latency.py . content/briefings/2024-05-08-pashinyan-in-moscow.md
/briefings/pashinyan-in-moscow/`. The site is copied to a temporary folder
first (content/, templates/, static/, site.yaml), so the original is never
edited. Each run saves one edit and times until the open page shows it:

- `title` (the default) rewrites the briefing's `title:` line and waits for the
  page's <h1> (the site keeps its shape);
- `prose` adds a last paragraph (a prose edit, which the build patches);
- `tag` gives the briefing a new tag and waits for its link (the tag's pages
  are laid out again);
- `new` writes a new briefing, dated today, beside BRIEFING_FILE and waits for
  a link to it on the open page (give PAGE_URL_PATH `/`: the home page lists
  the newest briefings);
- `actor-template` overrides the theme's actor.html with a line added and waits
  for it (give PAGE_URL_PATH an actor's page: only the actor pages are made
  again).

The server's own "built in" lines give the build's share. Needs Debian's
/usr/bin/chromium and Playwright.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def copy_site(source: Path, target: Path) -> None:
    for name in ("content", "templates", "static"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    shutil.copy(source / "site.yaml", target / "site.yaml")


def wait_for_url(log: Path, process: subprocess.Popen[bytes], timeout: float) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = re.search(r"http://127\.0\.0\.1:\d+/", log.read_text(encoding="utf-8"))
        if found:
            return found.group(0)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit(f"briefgen serve did not start:\n{log.read_text(encoding='utf-8')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("briefing", help="the briefing file, relative to SITE")
    parser.add_argument("page", help="the briefing's URL path, e.g. /briefings/x/")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--edit", choices=sorted(EDITS), default="title", help="what each run saves")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-latency-") as scratch:
        root = Path(scratch) / "site"
        root.mkdir()
        copy_site(args.site, root)
        out, err = Path(scratch) / "out.txt", Path(scratch) / "err.txt"
        started = time.perf_counter()
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(  # in the site's folder, as a writer runs it
                [sys.executable, "-m", "briefgen", "serve", "--port", "0"],
                cwd=root, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
            )
        try:
            url = wait_for_url(out, process, timeout=600)
            print(f"first build and start: {time.perf_counter() - started:.2f}s")
            return measure(root / args.briefing, url.rstrip("/") + args.page, args.runs, err, args.edit)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)


def measure(briefing: Path, url: str, runs: int, server_log: Path, edit: str) -> int:
    original = briefing.read_text(encoding="utf-8")
    if not re.search(r"^title: .*$", original, flags=re.M):
        raise SystemExit(f"{briefing} has no 'title:' line")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        page.goto(url)
        times = []
        for run in range(runs):
            page.wait_for_function("() => window.LiveReload && window.LiveReload.connector"
                                   " && window.LiveReload.connector.protocol >= 7", timeout=60_000)
            time.sleep(0.3)
            marker = f"Latency Run {run} {time.time_ns()}"
            saved = time.perf_counter()
            shown, argument = EDITS[edit](briefing, original, marker)
            page.wait_for_function(shown, arg=argument, polling="raf", timeout=600_000)
            times.append(time.perf_counter() - saved)
        browser.close()
    builds = [float(s) for s in re.findall(r"built in ([\d.]+)s", server_log.read_text(encoding="utf-8"))]
    print("save to reloaded page (s): " + " ".join(f"{t:.3f}" for t in times))
    print(f"median {statistics.median(times):.3f}s, min {min(times):.3f}s, max {max(times):.3f}s")
    if len(builds) > 1:
        rebuilds = builds[1:]
        print(f"of which rebuild (server's own timing): median {statistics.median(rebuilds):.3f}s")
    return 0


Edit = Callable[[Path, str, str], tuple[str, str]]
"""Save one edit marked `marker`; return a page function that is true once the page
shows it, and its argument."""


def retitle(briefing: Path, original: str, marker: str) -> tuple[str, str]:
    briefing.write_text(re.sub(r"^title: .*$", f"title: {marker}", original, count=1, flags=re.M),
                        encoding="utf-8")
    return "marker => (document.querySelector('h1') || {}).textContent === marker", marker


def add_paragraph(briefing: Path, original: str, marker: str) -> tuple[str, str]:
    briefing.write_text(original.rstrip("\n") + f"\n\n{marker}.\n", encoding="utf-8")
    return "marker => document.body.textContent.includes(marker + '.')", marker


def add_tag(briefing: Path, original: str, marker: str) -> tuple[str, str]:
    tag = re.sub(r"[^a-z0-9]+", "-", marker.lower())
    if re.search(r"^tags: \[.*\]$", original, flags=re.M):
        text = re.sub(r"^tags: \[(.*)\]$", lambda m: f"tags: [{m[1]}, {tag}]", original, count=1, flags=re.M)
    else:
        text = re.sub(r"^(title: .*)$", lambda m: f"{m[1]}\ntags: [{tag}]", original, count=1, flags=re.M)
    briefing.write_text(text, encoding="utf-8")
    return "tag => !!document.querySelector(`a[href$='/tags/${tag}/']`)", tag


def add_briefing(briefing: Path, original: str, marker: str) -> tuple[str, str]:
    slug = re.sub(r"[^a-z0-9]+", "-", marker.lower())
    today = dt.date.today().isoformat()
    (briefing.parent / f"{today}-{slug}.md").write_text(
        f"---\ntitle: {marker}\ndate: {today}\n---\nA briefing written by the latency benchmark.\n",
        encoding="utf-8")
    return "marker => [...document.links].some(a => a.textContent.includes(marker))", marker


THEME_TEMPLATES = Path(__file__).resolve().parents[1] / "briefgen" / "theme" / "templates"


def override_actor_template(briefing: Path, original: str, marker: str) -> tuple[str, str]:
    theme = (THEME_TEMPLATES / "actor.html").read_text(encoding="utf-8")
    if "{% block main %}\n" not in theme:
        raise SystemExit("the theme's actor.html has no '{% block main %}' line to add to")
    target = briefing.parents[2] / "templates" / "actor.html"  # SITE/content/briefings/x.md
    target.parent.mkdir(exist_ok=True)
    target.write_text(theme.replace("{% block main %}\n", f"{{% block main %}}\n<p>{marker}</p>\n", 1),
                      encoding="utf-8")
    return "marker => document.body.textContent.includes(marker)", marker


EDITS: dict[str, Edit] = {"title": retitle, "prose": add_paragraph, "tag": add_tag, "new": add_briefing,
                          "actor-template": override_actor_template}


if __name__ == "__main__":
    sys.exit(main())
