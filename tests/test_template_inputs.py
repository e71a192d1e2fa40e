"""Which templates each page template may load, as the page's environment resolves them."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from briefgen.render import make_environment, template_inputs, templates_digest

SITE = {"base_path": "/", "base_url": ""}  # what the URL helpers read of the site


def inputs_of(root: Path, name: str) -> tuple[set[str] | None, bytes]:
    templates = template_inputs(make_environment(root, SITE), root)
    return templates.loaded(name), templates(name)


def put(root: Path, path: str, text: str) -> None:
    target = root / "templates" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def test_a_theme_template_loads_what_it_extends_and_includes_and_no_more(tmp_path: Path) -> None:
    actor, _ = inputs_of(tmp_path, "actor.html")
    briefing, _ = inputs_of(tmp_path, "briefing.html")
    assert actor is not None and briefing is not None
    assert {"actor.html", "base.html", "partials/footer.html", "partials/briefing-list.html",
            "partials/card.html"} <= actor  # the card: briefing-list.html calls card()
    assert "briefing.html" not in actor and "actor.html" not in briefing
    assert "partials/card.html" not in briefing  # briefing.html names no `card`


def test_an_override_a_new_partial_and_its_removal_each_change_the_digest(tmp_path: Path) -> None:
    _, theme = inputs_of(tmp_path, "actor.html")
    put(tmp_path, "actor.html", '{% extends "theme/actor.html" %}{% block main %}'
                                '{% include "partials/extra.html" ignore missing %}'
                                '{{ super() }}{% endblock %}')
    loaded, overridden = inputs_of(tmp_path, "actor.html")
    assert loaded is not None and {"theme/actor.html", "partials/extra.html"} <= loaded
    put(tmp_path, "partials/extra.html", "<p>extra</p>")
    _, with_partial = inputs_of(tmp_path, "actor.html")
    (tmp_path / "templates/partials/extra.html").unlink()
    _, without = inputs_of(tmp_path, "actor.html")
    assert len({theme, overridden, with_partial}) == 3 and without == overridden
    # A template no page loads changes nothing.
    put(tmp_path, "unused.html", "<p>unused</p>")
    assert inputs_of(tmp_path, "actor.html")[1] == overridden


def test_an_override_with_the_theme_s_own_text_reads_the_same(tmp_path: Path) -> None:
    _, theme = inputs_of(tmp_path, "home.html")
    put(tmp_path, "partials/footer.html",
        (Path(__file__).parents[1] / "briefgen/theme/templates/partials/footer.html").read_text())
    assert inputs_of(tmp_path, "home.html")[1] == theme


def test_a_name_made_while_rendering_a_syntax_error_or_a_file_not_utf8_reads_every_template(
        tmp_path: Path) -> None:
    put(tmp_path, "tag.html", '{% extends "base.html" %}{% block main %}'
                              '{% include page.partial %}{% endblock %}')
    put(tmp_path, "tags.html", '{% extends "base.html" %}{% block main %}{% if %}{% endblock %}')
    # Named, but loaded only on a branch not taken: a build that never renders it works.
    put(tmp_path, "page.html", '{% extends "theme/page.html" %}{% block head %}'
                               '{% if site.extra.legacy is defined %}{% include "legacy.html" %}{% endif %}'
                               '{% endblock %}')
    (tmp_path / "templates/legacy.html").write_bytes("<p>caf\xe9</p>".encode("latin-1"))
    for name in ("tag.html", "tags.html", "page.html"):
        loaded, found = inputs_of(tmp_path, name)
        assert loaded is None and found == templates_digest(tmp_path)


def test_what_each_template_names_is_parsed_again_only_when_its_source_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: dict[bytes, tuple[str, ...] | None] = {}
    env = make_environment(tmp_path, SITE)
    first = template_inputs(env, tmp_path, parsed)("actor.html")
    parses: list[str] = []
    parse = jinja2.Environment.parse

    def counted(self: jinja2.Environment, source: str, name: str | None = None,
                filename: str | None = None) -> jinja2.nodes.Template:
        parses.append(str(name))
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "parse", counted)
    assert template_inputs(env, tmp_path, parsed)("actor.html") == first and parses == []
    put(tmp_path, "partials/pager.html", "<nav>pages</nav>")
    assert template_inputs(env, tmp_path, parsed)("actor.html") != first
    assert parses == ["partials/pager.html"]
