"""The preview session on a real file system: watcher, scheduler, builder, server together.

Each test starts a session in-process on a free port, changes files the way
editors do, and checks how many rebuilds happened and what the server answers.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

from briefgen.build import build_site
from briefgen.serve.session import PreviewSession, ServeOptions
from tests.conftest import ACTORS_AND_COUNTRIES, MakeSite, briefing
from tests.serve_support import LoopThread, request, wait_for

BRIEFING = "content/briefings/2024-05-08-moscow.md"
SETTLE = 0.6
"""Long enough for a stray second rebuild to have started, were one coming."""


@dataclass
class Preview:
    session: PreviewSession
    port: int
    root: Path
    loop: LoopThread

    @property
    def builds(self) -> int:
        return self.session.builds

    def get(self, path: str) -> str:
        return request(self.port, path).text

    def wait_builds(self, count: int, timeout: float = 15) -> None:
        assert wait_for(lambda: self.builds >= count, timeout), f"{self.builds} builds, wanted {count}"
        self.loop.run(self.session.idle())

    def settle(self) -> None:
        time.sleep(SETTLE)
        self.loop.run(self.session.idle())


StartPreview = Callable[..., Preview]


@pytest.fixture
def start_preview() -> Iterator[StartPreview]:
    loop = LoopThread()
    sessions: list[PreviewSession] = []

    def start(root: Path, builder: Callable[[], object] | None = None) -> Preview:
        out = root / "build"
        options = ServeOptions(root, out, port=0)

        async def make() -> PreviewSession:
            session = PreviewSession(options, builder or (lambda: build_site(root, out)),
                                     log=lambda _: None)
            sessions.append(session)
            await session.start()
            return session

        session = loop.run(make())
        preview = Preview(session, session.port, root, loop)
        time.sleep(0.2)  # let the watchers settle in before the test touches files
        return preview

    try:
        yield start
    finally:
        for session in sessions:
            loop.run(session.close())
        loop.close()


def example(make_site: MakeSite, title: str = "First Title") -> Path:
    return make_site({
        **ACTORS_AND_COUNTRIES,
        BRIEFING: briefing(title, actors="[Vladimir Putin]", body="Putin spoke in Moscow.\n"),
    })


def page(preview: Preview) -> str:
    return preview.get("/briefings/moscow/")


def test_one_save_rebuilds_once_and_serves_the_new_page(start_preview: StartPreview,
                                                        make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)
    assert preview.builds == 1 and "First Title" in page(preview)
    (root / BRIEFING).write_text(briefing("Second Title", actors="[Vladimir Putin]"), encoding="utf-8")
    preview.wait_builds(2)
    preview.settle()
    assert preview.builds == 2
    assert "Second Title" in page(preview)


def test_a_burst_of_saves_rebuilds_once(start_preview: StartPreview, make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)
    for i in range(8):
        (root / f"content/briefings/2024-05-0{i + 1}-burst-{i}.md").write_text(
            briefing(f"Burst {i}", date=f"2024-05-0{i + 1}"), encoding="utf-8")
    (root / "site.yaml").write_text("title: Renamed Site\nbase_url: https://example.org/\n")
    preview.wait_builds(2)
    preview.settle()
    assert preview.builds == 2
    home = preview.get("/")
    assert "Renamed Site" in home and all(f"Burst {i}" in preview.get("/briefings/") for i in range(8))


def test_write_to_temp_then_rename_rebuilds_once(start_preview: StartPreview, make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)
    target = root / BRIEFING
    swap = target.with_name(f".{target.name}.swp")
    swap.write_text("vim swap")  # an editor's swap file alone is no reason to rebuild
    preview.settle()
    assert preview.builds == 1
    temp = target.with_name(f"{target.name}.tmp")
    temp.write_text(briefing("Renamed Into Place", actors="[Vladimir Putin]"), encoding="utf-8")
    temp.replace(target)
    swap.unlink()
    preview.wait_builds(2)
    preview.settle()
    assert preview.builds == 2
    assert "Renamed Into Place" in page(preview)


def test_a_deletion_rebuilds_once(start_preview: StartPreview, make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)
    (root / BRIEFING).unlink()
    preview.wait_builds(2)
    preview.settle()
    assert preview.builds == 2
    assert request(preview.port, "/briefings/moscow/").status == 404


def test_site_yaml_replaced_by_rename_is_still_watched(start_preview: StartPreview,
                                                       make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)
    for n, title in enumerate(["Replaced Once", "Replaced Twice"], start=2):
        temp = root / "site.yaml.tmp"
        temp.write_text(f"title: {title}\nbase_url: https://example.org/\n")
        temp.replace(root / "site.yaml")
        preview.wait_builds(n)
        assert title in preview.get("/")


def test_a_new_base_url_path_is_served_from_the_next_good_build(start_preview: StartPreview,
                                                                 make_site: MakeSite) -> None:
    """The pages link under base_url's path: the server follows it as a restart would."""
    root = example(make_site)
    preview = start_preview(root)
    for n, (path, broken) in enumerate([("/sub/", False), ("/sub/", True), ("/", False)], start=2):
        (root / "site.yaml").write_text(f"title: T\nbase_url: https://example.org{path}\n"
                                        + ("options: [\n" if broken else ""))
        preview.wait_builds(n)
        assert 'href="/sub/briefings/moscow/"' in preview.get(f"{path}index.html") or path == "/"
        assert request(preview.port, f"{path}briefings/moscow/").status == 200
        assert request(preview.port, f"{path}briefings/moscow/").text.count("First Title") >= 1
        other = "/" if path == "/sub/" else "/sub/"
        assert request(preview.port, f"{other}briefings/moscow/").status == 404
        assert preview.session.base_path == path
        assert (preview.session.failure is not None) == broken


def test_a_source_folder_created_while_serving_is_watched(start_preview: StartPreview,
                                                          make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)
    (root / "static").mkdir()
    preview.wait_builds(2)
    time.sleep(0.3)  # the folder watcher restarts to include static/
    (root / "static" / "notes.txt").write_text("first")
    preview.wait_builds(3)
    assert preview.get("/notes.txt") == "first"
    (root / "static" / "notes.txt").write_text("second")
    preview.wait_builds(4)
    assert preview.get("/notes.txt") == "second"


def test_a_save_during_a_rebuild_gives_exactly_one_more(start_preview: StartPreview,
                                                        make_site: MakeSite) -> None:
    root = example(make_site)
    started = threading.Event()

    def slow_builder() -> None:
        started.set()
        time.sleep(0.8)
        build_site(root, root / "build")

    preview = start_preview(root, slow_builder)
    started.clear()
    (root / BRIEFING).write_text(briefing("During One", actors="[Vladimir Putin]"), encoding="utf-8")
    assert started.wait(10)
    for title in ("During Two", "During Three", "During Four"):
        (root / BRIEFING).write_text(briefing(title, actors="[Vladimir Putin]"), encoding="utf-8")
        time.sleep(0.15)
    preview.wait_builds(3)
    preview.settle()
    assert preview.builds == 3
    assert "During Four" in page(preview)


def test_broken_content_keeps_the_last_good_site_and_shows_the_error(start_preview: StartPreview,
                                                                    make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)
    assert "briefgen-dev-error" not in page(preview)
    (root / BRIEFING).write_text(briefing("Broken Title", actors="[Vladimir <Puttin>]"), encoding="utf-8")
    preview.wait_builds(2)
    shown = page(preview)
    assert "First Title" in shown and "Broken Title" not in shown  # the last good build
    assert "briefgen-dev-error" in shown
    assert f"{BRIEFING}:4:" in shown and "unknown actor &#x27;Vladimir &lt;Puttin&gt;&#x27;" in shown
    assert "hint: did you mean &#x27;Vladimir Putin&#x27;" in shown
    assert "briefgen-dev-error" in preview.get("/no/such/page/")  # on every page, 404 too
    assert "briefgen-dev-error" not in (root / "build/briefings/moscow/index.html").read_text()
    (root / BRIEFING).write_text(briefing("Fixed Title", actors="[Vladimir Putin]"), encoding="utf-8")
    preview.wait_builds(3)
    shown = page(preview)
    assert "Fixed Title" in shown and "briefgen-dev-error" not in shown


def test_a_broken_template_keeps_the_last_good_site_and_shows_where(start_preview: StartPreview,
                                                                   make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)
    template = root / "templates/briefing.html"
    template.parent.mkdir(exist_ok=True)
    template.write_text('{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n',
                        encoding="utf-8")
    preview.wait_builds(2)
    shown = page(preview)
    assert "First Title" in shown and "briefgen-dev-error" in shown  # the last good build, and why
    assert "templates/briefing.html:3: template syntax error" in shown
    template.unlink()
    preview.wait_builds(3)
    assert "briefgen-dev-error" not in page(preview) and "First Title" in page(preview)


@pytest.mark.parametrize("garbage", [
    b"\xff\xfe\x00garbage", b"---\n: : :\n  - [\n---\n", b"---\ntitle: [unclosed\n", b"",
    b"---\ntitle: x\ndate: 2024-13-45\nactors: {a: b}\nrelations: 7\n---\n",
])
def test_no_content_stops_the_server(start_preview: StartPreview, make_site: MakeSite,
                                     garbage: bytes) -> None:
    root = example(make_site)
    preview = start_preview(root)
    (root / BRIEFING).write_bytes(garbage)
    preview.wait_builds(2)
    assert preview.session.failure is not None
    assert "briefgen-dev-error" in page(preview)
    (root / BRIEFING).write_text(briefing("Recovered", actors="[Vladimir Putin]"), encoding="utf-8")
    preview.wait_builds(3)
    assert preview.session.failure is None and "Recovered" in page(preview)


def test_a_crashing_builder_is_shown_and_survived(start_preview: StartPreview, make_site: MakeSite) -> None:
    root = example(make_site)
    crash = threading.Event()

    def builder() -> None:
        if crash.is_set():
            raise RecursionError("maximum recursion depth exceeded <somewhere>")
        build_site(root, root / "build")

    preview = start_preview(root, builder)
    crash.set()
    (root / BRIEFING).touch()
    preview.wait_builds(2)
    shown = page(preview)
    assert "internal error RecursionError" in shown and "&lt;somewhere&gt;" in shown
    crash.clear()
    (root / BRIEFING).touch()
    preview.wait_builds(3)
    assert "briefgen-dev-error" not in page(preview)


def test_a_first_build_that_fails_still_serves_the_error(start_preview: StartPreview,
                                                         make_site: MakeSite) -> None:
    root = make_site({BRIEFING: briefing("Nobody", actors="[Nobody Known]")})
    preview = start_preview(root)
    assert not (root / "build").exists()
    response = request(preview.port, "/")
    assert response.status == 404
    assert "unknown actor &#x27;Nobody Known&#x27;" in response.text
    assert "/_briefgen/livereload.js" in response.text


def test_open_pages_are_told_to_reload_after_each_build(start_preview: StartPreview,
                                                        make_site: MakeSite) -> None:
    root = example(make_site)
    preview = start_preview(root)

    async def connect_and_wait_for_reload() -> dict[str, object]:
        socket = await websocket_connect(f"ws://127.0.0.1:{preview.port}/livereload")
        await socket.write_message(json.dumps({"command": "hello",
                                               "protocols": ["http://livereload.com/protocols/official-7"]}))
        hello = json.loads(str(await socket.read_message()))
        assert hello["command"] == "hello"
        assert "http://livereload.com/protocols/official-7" in hello["protocols"]
        await socket.write_message(json.dumps({"command": "info", "url": "http://127.0.0.1/"}))
        (root / BRIEFING).write_text(briefing("Reloaded", actors="[Vladimir Putin]"), encoding="utf-8")
        message = json.loads(str(await socket.read_message()))
        socket.close()
        return dict(message)

    message = preview.loop.run(connect_and_wait_for_reload(), timeout=20)
    assert message["command"] == "reload" and message["liveCSS"] is False
    assert "Reloaded" in page(preview)  # the reload is sent after the build is written
