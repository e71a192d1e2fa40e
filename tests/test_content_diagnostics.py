"""Every kind of bad content gives a diagnostic at the right file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build import check_site, load_site
from briefgen.diagnostics import Diagnostic, Severity
from tests.conftest import ACTORS_AND_COUNTRIES, MakeSite, briefing

BRIEF = "content/briefings/2024-05-08-talks.md"


def problems(root: Path, severity: Severity = Severity.ERROR) -> list[Diagnostic]:
    return [d for d in check_site(root).diagnostics if d.severity is severity]


def only(root: Path, severity: Severity = Severity.ERROR) -> Diagnostic:
    found = problems(root, severity)
    assert len(found) == 1, [d.format() for d in found]
    return found[0]


def test_missing_front_matter(make_site: MakeSite) -> None:
    d = only(make_site({BRIEF: "Just text, no front matter.\n"}))
    assert (d.path, d.line) == (BRIEF, 1)
    assert "missing front matter" in d.message
    assert d.hint and "---" in d.hint


def test_unclosed_front_matter(make_site: MakeSite) -> None:
    d = only(make_site({BRIEF: "---\ntitle: x\ndate: 2024-05-08\n\nBody\n"}))
    assert (d.path, d.line) == (BRIEF, 1)
    assert "never closed" in d.message


@pytest.mark.parametrize(("opened", "what"), [("tags: [a, b", "a '[' list"),
                                              ("tags: {a: b", "a '{' mapping"),
                                              ('summary: "unclosed', "a quoted value")])
def test_an_unclosed_bracket_or_quote_is_reported_where_it_opens(make_site: MakeSite, opened: str,
                                                                 what: str) -> None:
    text = f"---\ntitle: ok\ndate: 2024-05-08\n{opened}\nactors: [x]\n---\nBody\n"
    d = only(make_site({BRIEF: text}))
    # Where it opens, not on line 5 or 6, where PyYAML notices it.
    assert (d.path, d.line, d.col) == (BRIEF, 4, len(opened.split(": ")[0]) + 3)
    assert f"YAML syntax error in front matter: {what} that is never closed" in d.message
    assert "on line 5" in d.message or "on line 6" in d.message


def test_a_syntax_error_in_site_yaml_says_so_and_nothing_about_base_url(make_site: MakeSite) -> None:
    root = make_site({"site.yaml": "title: T\nbase_url: https://example.org/\noptions: [page_size\n",
                      BRIEF: "---\ntitle: ok\ndate: 2024-05-08\n---\nBody\n"})
    d = only(root)
    assert (d.path, d.line) == ("site.yaml", 3)
    assert d.message.startswith("YAML syntax error in site.yaml: a '[' list that is never closed")
    assert not [w for w in problems(root, Severity.WARNING) if "base_url" in w.message]


def test_yaml_error_line_counts_from_the_file_not_the_block(make_site: MakeSite) -> None:
    text = "---\ntitle: ok\ndate: 2024-05-08\nsummary: a: b\n---\nBody\n"
    d = only(make_site({BRIEF: text}))
    assert (d.line, d.col) == (4, 11)


def test_duplicate_key(make_site: MakeSite) -> None:
    text = "---\ntitle: First\ndate: 2024-05-08\ntitle: Second\n---\n"
    d = only(make_site({BRIEF: text}))
    assert (d.line, d.col) == (4, 1)
    assert "given twice" in d.message and "line 2" in d.message


def test_missing_title_and_date_are_both_reported(make_site: MakeSite) -> None:
    found = problems(make_site({BRIEF: "---\nsummary: nothing else\n---\n"}))
    messages = sorted(d.message for d in found)
    assert messages == ["missing required key 'date'", "missing required key 'title'"]
    assert all(d.path == BRIEF for d in found)


def test_a_date_that_is_not_a_date(make_site: MakeSite) -> None:
    d = only(make_site({BRIEF: briefing(date="2024-13-45")}))
    assert (d.line, d.col) == (3, 7)
    assert "'date' is not a date: '2024-13-45'" in d.message
    assert d.hint and "YYYY-MM-DD" in d.hint


def test_all_problems_of_all_files_are_reported_together(make_site: MakeSite) -> None:
    root = make_site({
        "content/briefings/a.md": briefing(date="yesterday"),
        "content/briefings/b.md": "no front matter",
        "content/countries/x.md": "---\nname: X\ncode: xyz\n---\n",
    })
    assert sorted(d.path for d in problems(root)) == [
        "content/briefings/a.md", "content/briefings/b.md", "content/countries/x.md",
    ]


def test_yaml_11_retyping_keeps_the_text(make_site: MakeSite) -> None:
    root = make_site({
        "content/countries/norway.md": "---\nname: Norway\ncode: NO\naliases: [yes, 'on']\n---\n",
        BRIEF: "---\ntitle: 10:00\ndate: 2024-05-08\ntags: [off, 1e3]\n---\n",
    })
    site = load_site(root)
    assert not site.report.failed(), site.report.diagnostics
    norway = site.model.linked.registry.countries["norway"]
    assert norway.code == "NO"
    assert [a.value for a in norway.aliases] == ["yes", "on"]
    item = site.model.briefings[0].briefing
    assert item.title == "10:00"
    assert item.tags == ("off", "1e3")


def test_extra_keys_are_kept_with_yaml_12_types(make_site: MakeSite) -> None:
    root = make_site({BRIEF: briefing(desk="Caucasus", priority="3", embargo="no",
                                      flags="[true, 10:00]")})
    extra = load_site(root).model.briefings[0].briefing.extra
    assert extra == {"desk": "Caucasus", "priority": 3, "embargo": "no", "flags": [True, "10:00"]}


def test_not_utf8_names_line_and_column(make_site: MakeSite) -> None:
    raw = briefing(body="Line one.\nCaf\xe9 here.\n").encode("utf-8").replace(b"\xc3\xa9", b"\xe9")
    d = only(make_site({BRIEF: raw}))
    assert (d.path, d.line, d.col) == (BRIEF, 6, 4)
    assert "not valid UTF-8" in d.message


def test_utf16_file_is_refused_with_a_hint(make_site: MakeSite) -> None:
    raw = briefing().encode("utf-16")
    d = only(make_site({BRIEF: raw}))
    assert "UTF-16" in d.message


def test_bom_and_crlf_read_exactly_like_the_plain_twin(make_site: MakeSite) -> None:
    text = briefing(title="Twin", body="Para one.\n\nPara two with *emphasis*.\n", tags="[a, b]")
    plain = load_site(make_site({BRIEF: text}))
    crlf = load_site(make_site({BRIEF: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()}))
    assert not crlf.report.diagnostics
    assert [p.context for p in plain.pages] == [p.context for p in crlf.pages]


@pytest.mark.parametrize("slug", ["Bad Slug", "../../etc", "a_b", "café", "-x"])
def test_invalid_slug(make_site: MakeSite, slug: str) -> None:
    d = only(make_site({BRIEF: briefing(slug=f'"{slug}"')}))
    assert d.line == 4
    assert "may hold only a-z, 0-9 and '-'" in d.message


def test_two_briefings_claiming_one_url_name_both_files(make_site: MakeSite) -> None:
    root = make_site({
        "content/briefings/2024-05-08-talks.md": briefing(),
        "content/briefings/other.md": briefing(slug="talks"),
    })
    d = only(root)
    assert "/briefings/talks/" in d.message
    assert "content/briefings/2024-05-08-talks.md" in d.message
    assert "content/briefings/other.md" in d.message


def test_briefing_and_page_claiming_one_url(make_site: MakeSite) -> None:
    root = make_site({
        "site.yaml": "title: T\nurls:\n  briefing: /{slug}/\n",
        "content/briefings/2024-05-08-about.md": briefing(),
        "content/pages/about.md": "---\ntitle: About\n---\n",
    })
    d = only(root)
    assert "URL /about/" in d.message
    assert "content/briefings/2024-05-08-about.md" in d.message
    assert "content/pages/about.md" in d.message


def test_briefing_and_entity_claiming_one_url(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "site.yaml": "title: T\nurls:\n  briefing: /actors/{slug}/\n",
        "content/briefings/2024-05-08-vladimir-putin.md": briefing(),
    })
    d = only(root)
    assert "content/briefings/2024-05-08-vladimir-putin.md" in d.message
    assert "content/actors/vladimir-putin.md" in d.message


def test_page_claiming_a_built_in_url(make_site: MakeSite) -> None:
    d = only(make_site({"content/pages/actors.md": "---\ntitle: Actors\n---\n"}))
    assert d.path == "content/pages/actors.md"
    assert "URL /actors/" in d.message


def test_unknown_and_misplaced_files_are_warned_about(make_site: MakeSite) -> None:
    root = make_site({"content/briefings/notes.txt": "x", "content/misc/a.md": "x"})
    warnings = problems(root, Severity.WARNING)
    assert sorted(d.path for d in warnings) == ["content/briefings/notes.txt", "content/misc"]


def test_editor_droppings_are_ignored(make_site: MakeSite) -> None:
    root = make_site({
        BRIEF: briefing(),
        "content/briefings/.#2024-05-08-talks.md": "lock",
        "content/briefings/2024-05-08-talks.md~": "backup",
        "content/briefings/.talks.md.swp": b"\x00\x01",
    })
    assert check_site(root).diagnostics == ()


def test_bad_values_in_entities(make_site: MakeSite) -> None:
    root = make_site({
        "content/actors/x.md": "---\nname: X\nkind: robot\n---\n",
        "content/countries/y.md": "---\nname: Y\ncode: Yy\n---\n",
        "content/actors/Bad Name.md": "---\nname: Z\n---\n",
    })
    messages = {(d.path, d.message.split(",")[0]) for d in problems(root)}
    assert ("content/actors/x.md", "'kind' must be one of person") in messages
    assert ("content/countries/y.md", "code 'Yy' is not an ISO 3166-1 alpha-2 code") in messages
    assert any(p == "content/actors/Bad Name.md" and "not a valid id" in m for p, m in messages)


def test_config_errors(make_site: MakeSite) -> None:
    root = make_site({"site.yaml": "title: T\nbase_url: example.org\noptions:\n  page_size: 0\n"
                                   "  colour: blue\nrelation_vocabulary: [Good, bad, bad]\n"})
    found = {(d.line, d.message.split(" (")[0]) for d in problems(root)}
    assert (2, "base_url must be an absolute http(s) URL, not 'example.org'") in found
    assert (4, "'page_size' must be a whole number of at least 1") in found
    assert (5, "unknown option 'colour'") in found
    assert (6, "relation status 'Good' must be one lower-case word") in found
    assert (6, "relation status 'bad' is listed twice") in found


def test_missing_site_yaml(tmp_path: Path) -> None:
    d = check_site(tmp_path).diagnostics[0]
    assert d.path == "site.yaml" and "no site.yaml" in d.message
