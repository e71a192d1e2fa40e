"""Incremental builds are correct: after any sequence of edits, the output is
byte-identical to a clean build of the final state (property-based)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build import build_site
from briefgen.cache import CACHE_DIR, BuildCache, cache_path, load_cache
from briefgen.errors import ContentError
from briefgen.markdown import bodies
from tests.conftest import REPO

COUNTRIES = ["armenia", "russia", "georgia", "turkey"]
STATUSES = ["allied", "neutral", "strained", "hostile"]
TEMPLATE_OVERRIDES = ["templates/partials/footer.html", "templates/partials/card.html",
                      "templates/actor.html", "templates/partials/extra.html"]
WORDS = ["talks", "border", "summit", "trade", "peace", "sanctions", "pipeline", "election"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Site:
    """A small site held as text, written to disk file by file as it changes."""

    def __init__(self, root: Path, *mirrors: Path) -> None:
        self.root = root
        self.roots = (root, *mirrors)  # the same site written in each
        self.files: dict[str, str] = {}
        self.actors: dict[str, list[str]] = {}
        self.names: dict[str, str] = {}  # an actor's name, when not "Person <n>"
        self.profiles: dict[str, str] = {}  # an actor's other fields and profile, when edited
        self.briefings: dict[str, dict[str, object]] = {}
        self.counter = 0
        self.put("site.yaml", "title: Prop\nbase_url: https://example.org/\noptions:\n  page_size: 2\n")
        for cid in COUNTRIES:
            self.put(f"content/countries/{cid}.md",
                     f"---\nname: {cid.title()}\ncode: {cid[:2].upper()}\naliases: [{cid.title()}n]\n---\n")
        for n in range(3):
            self.add_actor(n)

    def put(self, path: str, text: str) -> None:
        self.files[path] = text
        for root in self.roots:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)

    def drop(self, path: str) -> None:
        del self.files[path]
        for root in self.roots:
            (root / path).unlink()

    def add_actor(self, n: int) -> None:
        aid = f"actor-{n}"
        if aid not in self.actors:
            self.actors[aid] = [f"Surname{n}"]
            self.write_actor(aid)

    def write_actor(self, aid: str) -> None:
        n = aid.split("-")[1]
        aliases = ", ".join(self.actors[aid])
        name = self.names.get(aid, f"Person {n}")
        country, more, profile = COUNTRIES[int(n) % 4], "", f"Profile of Person {n}; see Armenia."
        if aid in self.profiles:
            country, more, profile = self.profiles[aid].split("|")
        self.put(f"content/actors/{aid}.md",
                 f"---\nname: {name}\naliases: [{aliases}]\ncountry: {country}\n{more}---\n{profile}\n")

    def write_briefing(self, name: str) -> None:
        b = self.briefings[name]
        relations = "".join(f"\n  - between: [{a}, {c}]\n    status: {s}" for a, c, s in b["relations"])  # type: ignore[attr-defined]
        self.put(f"content/briefings/{name}.md",
                 f"---\ntitle: {b['title']}\ndate: {b['date']}\n{b.get('draft', '')}{b.get('above', '')}"
                 f"actors: [{', '.join(b['actors'])}]\n"  # type: ignore[arg-type]
                 f"countries: [{', '.join(b['countries'])}]\ntags: [{b['tag']}]\n"  # type: ignore[arg-type]
                 f"relations: {relations or '[]'}\n{b.get('shown', '')}{b.get('meta', '')}---\n{b['body']}\n")

    def apply(self, op: tuple[int, ...]) -> None:
        kind, a, b, c = op
        names = sorted(self.briefings)
        actors = sorted(self.actors)
        if kind == 0 or not names:  # add a briefing
            self.counter += 1
            name = f"2024-0{1 + a % 9}-{10 + b % 18:02d}-{WORDS[c % len(WORDS)]}-{self.counter}"
            self.briefings[name] = {
                "title": f"{WORDS[a % 8].title()} {WORDS[b % 8]}", "date": name[:10],
                "actors": actors[: 1 + a % max(1, len(actors))],
                "countries": COUNTRIES[b % 2: 2 + b % 3],
                "tag": WORDS[c % 3], "relations": [],
                "body": f"Person {a % 3} met Surname{b % 3} in Georgia.",
            }
            self.write_briefing(name)
        elif kind == 1:  # edit a body
            name = names[a % len(names)]
            self.briefings[name]["body"] = f"Revised: {WORDS[b % 8]} with Person {c % 5} and Turkeyn."
            self.write_briefing(name)
        elif kind == 2:  # rename (a new slug and URL)
            name = names[a % len(names)]
            self.counter += 1
            new = f"{name[:10]}-renamed-{b}-{self.counter}"
            self.briefings[new] = self.briefings.pop(name)
            self.drop(f"content/briefings/{name}.md")
            self.write_briefing(new)
        elif kind == 3:  # delete
            name = names[a % len(names)]
            del self.briefings[name]
            self.drop(f"content/briefings/{name}.md")
        elif kind == 4:  # change an actor's aliases
            aid = actors[a % len(actors)]
            self.actors[aid] = [f"Surname{aid.split('-')[1]}"] + ([f"Alias{b}x{aid[-1]}"] if b % 2 else [])
            self.write_actor(aid)
        elif kind == 5:  # state or restate a relation
            name = names[a % len(names)]
            pair = (COUNTRIES[b % 4], COUNTRIES[(b + 1 + c % 3) % 4])
            self.briefings[name]["relations"] = [(*pair, STATUSES[c % 4])]
            self.write_briefing(name)
        elif kind == 6:  # add an actor, or remove one nobody declares
            if a % 2 or len(actors) < 2:
                self.add_actor(3 + b % 3)
            else:
                aid = actors[b % len(actors)]
                for item in self.briefings.values():
                    if aid in item["actors"]:  # type: ignore[operator]
                        item["actors"] = [x for x in item["actors"] if x != aid]  # type: ignore[attr-defined]
                for name in names:
                    self.write_briefing(name)
                del self.actors[aid]
                self.drop(f"content/actors/{aid}.md")
        elif kind == 7:  # edit, add or remove a template override: the footer, the briefing card,
            # the actor pages' template, or a partial that only the last one includes
            path = TEMPLATE_OVERRIDES[c % 4]
            if a % 3 == 0 and path in self.files:
                self.drop(path)
            elif c % 4 == 0:
                self.put(path, f"<footer>Footer v{b} of {{{{ site.title }}}}</footer>\n")
            elif c % 4 == 1:
                self.put(path, f"<li><a href=\"{{{{ b.url }}}}\">{{{{ b.title }}}}</a> card v{b}</li>\n")
            elif c % 4 == 2:
                self.put(path, f"{{% extends \"theme/actor.html\" %}}{{% block main %}}<p>Actor v{b}</p>"
                               f"{{% include \"partials/extra.html\" ignore missing %}}{{{{ super() }}}}"
                               f"{{% endblock %}}\n")
            else:
                self.put(path, f"<p>Extra v{b} at {{{{ url }}}}</p>\n")
        elif kind == 9:  # a prose edit: a paragraph added after the first
            name = names[a % len(names)]
            body = str(self.briefings[name]["body"])
            added = f"Later, {WORDS[b % 8]} & <{WORDS[c % 8]}> talks went on."
            self.briefings[name]["body"] = f"{body}\n\n{added}"
            self.write_briefing(name)
        elif kind == 10:  # retitle a briefing (its card changes on every list that shows it)
            name = names[a % len(names)]
            self.briefings[name]["title"] = f"{WORDS[b % 8].title()} retitled {c}"
            self.write_briefing(name)
        elif kind == 11:  # redate a briefing (it moves in every list)
            name = names[a % len(names)]
            self.briefings[name]["date"] = f"2023-{1 + b % 12:02d}-{10 + c % 18:02d}"
            self.write_briefing(name)
        elif kind == 12:  # rename an actor, or give a country another code
            if a % 2:
                aid = actors[b % len(actors)]
                self.names[aid] = f"{WORDS[c % 8].title()} Person {aid.split('-')[1]}"
                self.write_actor(aid)
            else:
                cid, code = COUNTRIES[b % 4], "X" + "ABCDEFGHIJ"[c % 10]
                self.put(f"content/countries/{cid}.md",
                         f"---\nname: {cid.title()}\ncode: {code}\naliases: [{cid.title()}n]\n---\n"
                         f"Now {WORDS[c % 8]}.\n")
        elif kind == 13:  # declare other actors
            name = names[a % len(names)]
            self.briefings[name]["actors"] = actors[b % len(actors): b % len(actors) + 1 + c % 3]
            self.write_briefing(name)
        elif kind == 14:  # what a briefing shows of itself: summary, sources, updated, wording
            name = names[a % len(names)]
            item = self.briefings[name]
            shown = [f"summary: In short, {WORDS[b % 8]} & <{WORDS[c % 8]}>.\n" if b % 2 else "",
                     f"updated: 2025-0{1 + c % 9}-1{b % 10}\n" if c % 2 else "",
                     "sources:\n" + "".join(f"  - {{title: Report {i} on {WORDS[(b + i) % 8]}, "
                                               f"url: 'https://example.org/{c}/{i}'}}\n"
                                               for i in range(b % 3)) if b % 3 else ""]
            item["shown" if c % 4 else "above"] = "".join(shown)  # above the names: their lines move
            item.pop("above" if c % 4 else "shown", None)
            if c % 3 == 0:  # other words, the same names
                item["body"] = str(item["body"]).replace(" met ", " spoke with " if b % 2 else " met ")
            self.write_briefing(name)
        elif kind == 15:  # retag: a tag others have, a new one, two spellings of one, or none
            name = names[a % len(names)]
            tag = WORDS[b % 6]
            self.briefings[name]["tag"] = [tag, f"{tag}, {tag.title()}", f"{tag}, {WORDS[c % 3]}", ""][c % 4]
            self.write_briefing(name)
        elif kind == 16:  # old URLs: aliases given, changed or taken away (the redirects)
            name = names[a % len(names)]
            stem = name[11:]
            self.briefings[name]["meta"] = ["", f"aliases: [/old/{stem}/]\n",
                                            f"aliases: [/old/{stem}/, /{b}/{stem}.html]\n"][c % 3]
            self.write_briefing(name)
        elif kind == 17:  # a draft, or a draft published (drafts are left out of the site)
            name = names[a % len(names)]
            item = self.briefings[name]
            item["draft"] = "" if item.get("draft") else "draft: true\n"
            self.write_briefing(name)
        elif kind == 18:  # a static file added, changed or removed
            path = ["static/css/extra.css", f"static/files/note-{b % 3}.txt", "static/robots-extra.txt"]
            path = path[c % 3]
            if a % 3 == 0 and path in self.files:
                self.drop(path)
            else:
                self.put(path, f"/* {WORDS[b % 8]} {c} */\n")
        elif kind == 19:  # a plain page added, edited or removed
            path = f"content/pages/{['about', 'methods'][c % 2]}.md"
            if a % 3 == 0 and path in self.files:
                self.drop(path)
            else:
                menu = "true" if b % 2 else "false"
                self.put(path, f"---\ntitle: {WORDS[b % 8].title()} page\nmenu: {menu}\n"
                               f"weight: {c % 3}\n---\n"
                               f"About {WORDS[c % 8]}, with Person {b % 3} and Georgia.\n")
        elif kind == 20:  # an actor's profile, role, kind or country edited
            aid = actors[a % len(actors)]
            kind_line = f"kind: {['person', 'organization'][c % 2]}\n"
            self.profiles[aid] = (f"{COUNTRIES[b % 4]}|{kind_line}role: {WORDS[b % 8].title()} lead\n|"
                                  f"Profile {c}: works on {WORDS[(b + c) % 8]} with Turkeyn.")
            self.write_actor(aid)
        elif kind == 8:  # change the site's options
            mode = ["first", "all", "none"][a % 3]
            self.put("site.yaml", f"title: Prop {b % 2}\nbase_url: https://example.org/\n"
                                  f"options:\n  page_size: {2 + c % 2}\n  mention_links: {mode}\n")


OPERATIONS = st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATIONS, min_size=1, max_size=7))
def test_incremental_equals_clean_after_any_edits(operations: list[tuple[int, ...]]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        site = Site(base / "site", base / "site-without-search")
        quick = site.roots[1]  # prose edits are patched only by builds without a search index
        memory, live = BuildCache(), BuildCache()  # as the preview server keeps one
        build_site(site.root, base / "inc", use_cache=True)
        build_site(quick, base / "quick", use_cache=True, search=False)
        build_site(site.root, base / "mem", cache=memory)
        build_site(quick, base / "live", cache=live, search=False)
        for op in operations:
            site.apply(op)
            build_site(site.root, base / "inc", use_cache=True)
            build_site(quick, base / "quick", use_cache=True, search=False)
            build_site(site.root, base / "mem", cache=memory)
            build_site(quick, base / "live", cache=live, search=False)
        build_site(site.root, base / "clean")
        build_site(quick, base / "clean-without-search", search=False)
        clean = snapshot(base / "clean")
        assert snapshot(base / "inc") == clean
        assert snapshot(base / "mem") == clean
        assert snapshot(base / "quick") == snapshot(base / "clean-without-search")
        assert snapshot(base / "live") == snapshot(base / "clean-without-search")


def test_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    first = build_site(site.root, use_cache=True)
    again = build_site(site.root, use_cache=True)
    assert first.rendered == first.pages
    assert again.rendered == 0 and again.stats.written == 0


def test_one_edit_renders_only_the_pages_that_show_it(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    for n in range(6):
        site.apply((0, n, n + 1, n))
    build_site(site.root, use_cache=True)
    name = sorted(site.briefings)[0]
    site.briefings[name]["body"] = "A new body."
    site.write_briefing(name)
    result = build_site(site.root, use_cache=True)
    assert 1 <= result.rendered < result.pages / 2
    assert result.stats.written >= 1


def test_an_alias_recapitalised_matches_anew(tmp_path: Path) -> None:
    """Capitals decide what an alias matches ('Quill' is not in 'the quill broke'): a
    cached body must not outlive a change of them alone."""
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    named = sorted(site.briefings)[0]
    site.briefings[named]["body"] = "Then the quill broke."
    site.write_briefing(named)
    site.actors["actor-0"].append("Quill")
    site.write_actor("actor-0")
    build_site(site.root, search=False, use_cache=True)
    page = site.root / "build/briefings" / named[11:] / "index.html"
    assert 'class="mention">quill</a>' not in page.read_text()
    site.actors["actor-0"][-1] = "quill"
    site.write_actor("actor-0")
    build_site(site.root, search=False, use_cache=True)
    assert 'class="mention">quill</a>' in page.read_text()
    build_site(site.root, tmp_path / "clean", search=False)
    assert (tmp_path / "clean/briefings" / named[11:] / "index.html").read_bytes() == page.read_bytes()


def test_a_new_alias_renders_again_only_the_bodies_that_name_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = Site(tmp_path / "site")
    for n in range(4):
        site.apply((0, n, n + 1, n))
    named = sorted(site.briefings)[0]
    site.briefings[named]["body"] = "Zanzibarx spoke first."
    site.write_briefing(named)
    build_site(site.root, search=False, use_cache=True)
    assert list((site.root / CACHE_DIR).glob("searched-*.pickle"))  # kept on disk, out of memory
    rendered: list[str] = []
    real = bodies.render_body
    monkeypatch.setattr(bodies, "render_body",
                        lambda md, text, *rest: rendered.append(text) or real(md, text, *rest))
    tables_before = snapshot(site.root / CACHE_DIR)
    site.actors["actor-0"].append("Zanzibarx")
    site.write_actor("actor-0")
    build_site(site.root, search=False, use_cache=True, workers=1)
    assert rendered == ["Zanzibarx spoke first.\n"]
    tables_after = snapshot(site.root / CACHE_DIR)
    rewritten = [name for name, data in tables_after.items() if tables_before.get(name) != data]
    # The re-checks are noted in the small `checked` table; of the bodies, only the one made anew is written.
    assert len([name for name in rewritten if name.startswith("bodies-")]) == 1
    assert len([name for name in rewritten if name.startswith("checked-")]) > 1
    page = (site.root / "build/briefings" / named[11:] / "index.html").read_text()
    assert 'class="mention">Zanzibarx</a>' in page


def test_a_template_edit_makes_again_the_pages_that_may_load_it(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    site.apply((0, 4, 5, 6))
    build_site(site.root, use_cache=True)
    out = site.root / "build"
    pages = {path for path in snapshot(out) if path.endswith(".html") and not path.startswith("pagefind/")}
    briefing_pages = {path for path in pages
                      if path.startswith("briefings/") and path != "briefings/index.html"}
    actor_pages = {path for path in pages if path.startswith("actors/") and path != "actors/index.html"}
    assert briefing_pages and actor_pages

    def rendered_after(op: tuple[int, ...]) -> tuple[int, set[str]]:
        before = snapshot(out)
        site.apply(op)
        result = build_site(site.root, use_cache=True)
        build_site(site.root, tmp_path / "clean")
        assert snapshot(out) == snapshot(tmp_path / "clean")
        return result.rendered, {path for path in pages if snapshot(out)[path] != before[path]}

    # The footer: every page extends base.html, which includes it.
    assert rendered_after((7, 1, 1, 0)) == (len(pages), pages)
    # The actor pages' own template: those pages alone.
    assert rendered_after((7, 1, 1, 2)) == (len(actor_pages), actor_pages)
    # A partial only that template includes, created: the same pages, and again when it is edited.
    assert rendered_after((7, 1, 1, 3)) == (len(actor_pages), actor_pages)
    assert rendered_after((7, 1, 2, 3)) == (len(actor_pages), actor_pages)
    # The briefing card (rendered by `card()`): the list pages (a list may be empty), no briefing page.
    rendered, changed = rendered_after((7, 1, 1, 1))
    assert changed and not changed & briefing_pages
    assert len(changed) <= rendered <= len(pages - briefing_pages)


def test_hand_edited_output_is_repaired(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    build_site(site.root, use_cache=True)
    name = sorted(site.briefings)[0]
    # the home page, and outputs whose inputs are unchanged by what they tell (a briefing page, a feed)
    outputs = [site.root / "build" / path for path in
               ("index.html", f"briefings/{name[11:]}/index.html", "actors/actor-0/feed.xml")]
    good = [output.read_bytes() for output in outputs]
    for output in outputs:
        output.write_bytes(b"vandalised")
    build_site(site.root, use_cache=True)
    assert [output.read_bytes() for output in outputs] == good


@pytest.mark.parametrize(("damage", "said"), [
    (b"garbage", "discarding a corrupt build cache"),
    (b"briefgen-ca", "discarding a corrupt build cache"),  # truncated within the header
    (b"briefgen-cache\n0:0.0:3.0\n" + b"x" * 10, "written by another briefgen or Python"),
    (None, "discarding a corrupt build cache"),  # a valid header with a payload that builds a foreign object
])
def test_corrupt_or_foreign_cache_is_discarded_with_a_warning(tmp_path: Path, damage: bytes | None,
                                                               said: str) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    build_site(site.root, use_cache=True)
    path = cache_path(site.root)
    if damage is None:
        import os
        import pickle

        header = path.read_bytes().split(b"\n", 2)
        payload = pickle.dumps(os.system, protocol=5)
        damage = header[0] + b"\n" + header[1] + b"\n" + payload
    path.write_bytes(damage)
    warnings: list[str] = []
    assert load_cache(site.root, warnings.append).records == {}
    assert len(warnings) == 1 and said in warnings[0], warnings
    before = snapshot(site.root / "build")
    result = build_site(site.root, use_cache=True, warn=warnings.append)
    assert result.rendered == result.pages
    assert snapshot(site.root / "build") == before
    assert load_cache(site.root, warnings.append).records, "a good cache replaced the bad one"


@pytest.mark.parametrize("when", ["before the first build", "after a build"])
def test_a_file_where_the_cache_folder_belongs_is_discarded_with_a_warning(tmp_path: Path, when: str) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    folder = site.root / CACHE_DIR
    if when == "after a build":
        build_site(site.root, use_cache=True)
        import shutil

        shutil.rmtree(folder)
    folder.write_text("junk")
    warnings: list[str] = []
    build_site(site.root, use_cache=True, warn=warnings.append)
    assert warnings == [f"discarding {folder}: a file where the build cache's folder belongs"]
    build_site(site.root, tmp_path / "clean")
    assert snapshot(site.root / "build") == snapshot(tmp_path / "clean")
    site.apply((1, 0, 1, 2))
    result = build_site(site.root, use_cache=True, warn=warnings.append)
    assert len(warnings) == 1 and result.rendered < result.pages, "the new cache is used"


def test_a_cache_that_cannot_be_saved_is_a_warning_and_the_output_stands(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen import cache as cache_module

    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))

    def full_disk(path: Path, value: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module, "_write", full_disk)
    warnings: list[str] = []
    result = build_site(site.root, use_cache=True, warn=warnings.append)
    assert warnings == [f"could not save the build cache in {site.root / CACHE_DIR} "
                        "(No space left on device); the next build will redo what it kept"]
    build_site(site.root, tmp_path / "clean")
    assert snapshot(site.root / "build") == snapshot(tmp_path / "clean") and result.rendered == result.pages


def test_a_discarded_cache_leaves_none_of_its_files_behind(tmp_path: Path) -> None:
    """A foreign shard that no entry of the new cache falls in is written over too: else
    it would discard the new cache at every build."""
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    build_site(site.root, use_cache=True)
    folder = site.root / CACHE_DIR
    unused = next(path for n in range(16) if not (path := folder / f"memo-{n:02d}.pickle").exists())
    unused.write_bytes(b"briefgen-cache\n0:an-older-briefgen\n")
    warnings: list[str] = []
    build_site(site.root, use_cache=True, warn=warnings.append)
    assert len(warnings) == 1 and "another briefgen" in warnings[0]
    site.apply((10, 0, 1, 2))
    result = build_site(site.root, use_cache=True, warn=warnings.append)
    assert len(warnings) == 1, warnings
    assert result.rendered < result.pages


def test_no_cache_option_neither_reads_nor_writes(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    build_site(site.root)
    assert not (site.root / CACHE_DIR).exists()


def test_failed_build_keeps_output_and_then_recovers(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    build_site(site.root, use_cache=True)
    before = snapshot(site.root / "build")
    site.put("content/briefings/broken.md", "---\ntitle: x\n---\n")
    with pytest.raises(ContentError):
        build_site(site.root, use_cache=True)
    assert snapshot(site.root / "build") == before
    site.drop("content/briefings/broken.md")
    assert build_site(site.root, use_cache=True).rendered == 0


def test_example_site_incremental_matches_clean(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "example"
    for name in ("site.yaml", "content", "templates"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            root.mkdir(exist_ok=True)
            shutil.copyfile(source, root / name)
    build_site(root, use_cache=True)
    actor = root / "content/actors/dmitry-peskov.md"
    text = actor.read_text().replace("aliases: [Peskov,", "aliases: [Kremlin Spokesman Peskov, Peskov,")
    actor.write_text(text)
    build_site(root, use_cache=True)
    build_site(root, tmp_path / "clean")
    assert snapshot(root / "build") == snapshot(tmp_path / "clean")


def age_sources(root: Path, seconds: float = 60) -> None:
    """Move every source file's mtime into the past, out of the racy window of the last save."""
    import os
    import time

    when = time.time() - seconds
    for path in [root / "site.yaml", *root.glob("content/**/*"), *root.glob("templates/**/*")]:
        if path.is_file():
            os.utime(path, (when, when))


def test_a_build_with_nothing_changed_stops_at_the_manifest(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    age_sources(site.root)
    first = build_site(site.root, use_cache=True)
    assert not first.up_to_date
    again = build_site(site.root, use_cache=True)
    assert again.up_to_date and again.rendered == 0 and again.pages == first.pages
    assert again.report == first.report


@pytest.mark.parametrize("change", ["edit", "touch", "output-deleted", "stray-output", "option"])
def test_any_change_of_input_or_output_means_a_real_build(tmp_path: Path, change: str) -> None:
    site = Site(tmp_path / "site")
    site.apply((0, 1, 2, 3))
    age_sources(site.root)
    build_site(site.root, use_cache=True)
    before = snapshot(site.root / "build")
    name = sorted(site.briefings)[0]
    page = next((site.root / "build/briefings").glob("*/index.html"))
    drafts = False
    if change == "edit":
        site.briefings[name]["body"] = "Changed."
        site.write_briefing(name)
        age_sources(site.root, 30)
    elif change == "touch":
        age_sources(site.root, 30)
    elif change == "output-deleted":
        page.unlink()
    elif change == "stray-output":
        (site.root / "build/stray.html").write_text("x")
    else:
        drafts = True
    result = build_site(site.root, use_cache=True, drafts=drafts)
    assert not result.up_to_date
    build_site(site.root, tmp_path / "clean", drafts=drafts)
    assert snapshot(site.root / "build") == snapshot(tmp_path / "clean")
    if change in ("touch", "output-deleted", "stray-output", "option"):
        assert snapshot(site.root / "build") == before


@pytest.mark.parametrize("live", [False, True], ids=["build", "serve"])
@pytest.mark.parametrize("replaced", ["briefing-title", "briefing-body", "actor"])
def test_a_file_put_back_with_the_same_size_and_mtime_is_read_again(
        tmp_path: Path, live: bool, replaced: str) -> None:
    """`cp -p`, `rsync -a`, `tar x` or an unzipped older version replace a file and set its
    mtime back: a same-size edit then keeps both size and mtime, and only the inode's
    change time (ctime), which no tool can set, tells it apart."""
    import os

    site = Site(tmp_path / "site")
    for op in ((0, 1, 2, 3), (0, 2, 3, 1), (0, 3, 1, 2)):
        site.apply(op)
    age_sources(site.root)
    cache = BuildCache() if live else None
    build_site(site.root, search=False, use_cache=not live, cache=cache)
    name = sorted(site.briefings)[1]
    path = site.root / (f"content/briefings/{name}.md" if replaced.startswith("briefing")
                        else f"content/actors/{sorted(site.actors)[0]}.md")
    text = path.read_text()
    edits = {"briefing-title": [("title: ", "title: X"), ("Person", "Perso")],  # as long as before
             "briefing-body": [("Person", "Persan")], "actor": [("name: Person", "name: Persan")]}
    edited = text
    for old, new in edits[replaced]:
        assert old in edited
        edited = edited.replace(old, new, 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    found = path.stat()
    temp = path.with_name(f".{path.name}.part")
    temp.write_text(edited)
    os.utime(temp, ns=(found.st_atime_ns, found.st_mtime_ns))
    temp.replace(path)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (found.st_size, found.st_mtime_ns)
    build_site(site.root, search=False, use_cache=not live, cache=cache)
    build_site(site.root, tmp_path / "clean", search=False)
    assert snapshot(site.root / "build") == snapshot(tmp_path / "clean")
