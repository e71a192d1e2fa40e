"""References resolve by id, name or alias, ignoring case; unknown and ambiguous ones are errors."""

from __future__ import annotations

from briefgen.build import check_site, load_site
from briefgen.diagnostics import Severity
from tests.conftest import ACTORS_AND_COUNTRIES, MakeSite, briefing

BRIEF = "content/briefings/2024-05-08-talks.md"


def test_references_resolve_by_id_name_and_alias_ignoring_case(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        BRIEF: briefing(actors="[vladimir-putin, NIKOL PASHINYAN, putin]",
                        countries="[russian, Armenia, am]"),
    })
    site = load_site(root)
    errors = [d for d in site.report.diagnostics if d.severity is Severity.ERROR]
    assert [d.message for d in errors] == ["unknown country 'am'"]
    item = site.model.briefings[0]
    assert item.actors == ("vladimir-putin", "nikol-pashinyan")
    assert item.countries == ("russia", "armenia")


def test_actor_country_resolves(make_site: MakeSite) -> None:
    site = load_site(make_site(dict(ACTORS_AND_COUNTRIES)))
    assert site.model.linked.actor_country == {"vladimir-putin": "russia", "nikol-pashinyan": "armenia"}


def test_unknown_actor_names_line_and_nearest_names(make_site: MakeSite) -> None:
    text = briefing(actors="\n  - Nikol Pashinyan\n  - Vladimir Puttin")
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: text})
    [d] = check_site(root).errors
    assert (d.path, d.line, d.col) == (BRIEF, 6, 5)
    assert d.message == "unknown actor 'Vladimir Puttin'"
    assert d.hint == "did you mean 'Vladimir Putin'?"


def test_unknown_with_nothing_close_says_how_to_add_it(make_site: MakeSite) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(countries="[Atlantis]")})
    [d] = check_site(root).errors
    assert d.hint is not None and "content/countries/" in d.hint


def test_a_country_listed_as_actor_says_so(make_site: MakeSite) -> None:
    root = make_site({**ACTORS_AND_COUNTRIES, BRIEF: briefing(actors="[Russia]")})
    [d] = check_site(root).errors
    assert d.message == "'Russia' is a country, not an actor"


def test_alias_claimed_by_two_entities_names_both_files(make_site: MakeSite) -> None:
    root = make_site({
        **ACTORS_AND_COUNTRIES,
        "content/actors/vladimir-zelensky.md": "---\nname: Vladimir Zelensky\naliases: [putin]\n---\n",
        BRIEF: briefing(actors="[Putin]"),
    })
    errors = check_site(root).errors
    registry_error = next(d for d in errors if d.path == "content/actors/vladimir-zelensky.md")
    assert "content/actors/vladimir-putin.md" in registry_error.message
    reference_error = next(d for d in errors if d.path == BRIEF)
    assert "ambiguous" in reference_error.message
    assert "content/actors/vladimir-putin.md" in reference_error.message
    assert "content/actors/vladimir-zelensky.md" in reference_error.message


def test_one_id_in_two_folders(make_site: MakeSite) -> None:
    root = make_site({
        "content/actors/x.md": "---\nname: X\n---\n",
        "content/actors/old/x.md": "---\nname: X2\n---\n",
    })
    [d] = check_site(root).errors
    assert "id 'x' is already taken by content/actors/old/x.md" in d.message or \
        "id 'x' is already taken by content/actors/x.md" in d.message


def test_unknown_country_of_an_actor(make_site: MakeSite) -> None:
    root = make_site({"content/actors/x.md": "---\nname: X\ncountry: Narnia\n---\n"})
    [d] = check_site(root).errors
    assert (d.path, d.line) == ("content/actors/x.md", 3)
    assert d.message == "unknown country 'Narnia'"
