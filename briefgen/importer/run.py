"""`briefgen import`: raw article texts to briefings, one file at a time.

Each input goes read -> clean -> date -> entities -> briefing text -> write,
and fails alone: a bad input gets an error outcome and the others go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from briefgen.config import CONFIG_FILE
from briefgen.content import load_content
from briefgen.content.models import ActorKind
from briefgen.diagnostics import Diagnostic, Severity, error, suggestion, warning
from briefgen.entities import Registry, build_registry, fold
from briefgen.errors import UsageError
from briefgen.importer.clean import CleanText, clean_text
from briefgen.importer.dates import dateline, find_dates
from briefgen.importer.entities import Position, Suggestion, known_forms, recognise, suggest_names
from briefgen.importer.model import Note
from briefgen.importer.read import read_text
from briefgen.importer.sentences import sentences
from briefgen.importer.write import (
    ACTORS_DIR,
    Draft,
    briefing_path,
    briefing_text,
    choose_slug,
    existing_slugs,
    stub_text,
    write_new,
)
from briefgen.mentions import MentionMatcher
from briefgen.slugs import is_slug, slugify

STDIN = "-"
STDIN_NAME = "<stdin>"
SUMMARY_MAX_CHARS = 300


@dataclass(frozen=True)
class ImportOptions:
    date: dt.date | None = None
    slug: str | None = None
    dry_run: bool = False
    create_entities: bool = False


@dataclass(frozen=True)
class Stub:
    """An actor file for an unknown name; `written` is False on a dry run."""

    path: Path
    name: str
    kind: ActorKind
    written: bool


@dataclass(frozen=True)
class ImportOutcome:
    """What became of one input: the briefing (or why not), and what was done to the text."""

    name: str
    ok: bool
    diagnostics: tuple[Diagnostic, ...] = ()
    notes: tuple[Note, ...] = ()
    path: Path | None = None
    slug: str = ""
    title: str = ""
    text: str = ""
    stubs: tuple[Stub, ...] = ()
    dry_run: bool = False
    written: bool = False


@dataclass(frozen=True)
class ImportRun:
    outcomes: tuple[ImportOutcome, ...]
    site_diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)


@dataclass(frozen=True)
class SiteIndex:
    """What an import needs to know about the site: its entities and the slugs in use."""

    root: Path
    registry: Registry
    matcher: MentionMatcher
    known: frozenset[str]
    slugs: frozenset[str]
    titles: Mapping[str, str]


def load_index(root: Path) -> tuple[SiteIndex, list[Diagnostic]]:
    content, diagnostics = load_content(root)
    registry, problems = build_registry(content)
    diagnostics += problems
    slugs = existing_slugs(root, [b.slug for b in content.briefings])
    titles = {fold(b.title): b.source for b in content.briefings}
    index = SiteIndex(root, registry, MentionMatcher(registry.surface_forms()), known_forms(registry),
                      frozenset(slugs), titles)
    return index, diagnostics


def import_files(root: Path, files: Sequence[str], options: ImportOptions, *,
                 stdin: BinaryIO, today: dt.date) -> ImportRun:
    """Import each of `files` ('-' is standard input) into the site at `root`."""
    if not (root / CONFIG_FILE).is_file():
        raise UsageError(f"no {CONFIG_FILE} in {root}; run this inside a site (or pass --root)")
    if list(files).count(STDIN) > 1:
        raise UsageError("standard input ('-') can be imported once per call")
    if options.slug is not None:
        if len(files) > 1:
            raise UsageError("--slug names one briefing; import one file at a time with it")
        if not is_slug(options.slug):
            raise UsageError(f"'{options.slug}' is not a valid slug (a-z, 0-9 and '-')")
    site, loaded = load_index(root)
    errors = sum(1 for d in loaded if d.severity is Severity.ERROR)
    site_diagnostics = []
    if errors:
        site_diagnostics.append(warning(
            CONFIG_FILE, 0, 0, f"the site has {errors} content error{'s' * (errors != 1)}; "
            "entities in broken files are not recognised", hint="run 'briefgen check'"))
    outcomes: list[ImportOutcome] = []
    for file in files:
        name = STDIN_NAME if file == STDIN else file
        try:
            raw = stdin.read() if file == STDIN else Path(file).read_bytes()
        except OSError as exc:
            outcomes.append(ImportOutcome(name, ok=False, diagnostics=(
                error(name, 0, 0, f"cannot read the file: {exc.strerror or exc}"),)))
            continue
        outcome = import_text(raw, name, site, options, today=today)
        outcomes.append(outcome)
        if outcome.written:
            site = _after_write(site, outcome)
    return ImportRun(tuple(outcomes), tuple(site_diagnostics))


def _after_write(site: SiteIndex, outcome: ImportOutcome) -> SiteIndex:
    """The index with the new briefing's slug taken and any new stubs known."""
    if any(stub.written for stub in outcome.stubs):
        site, _ = load_index(site.root)
    source = outcome.path.relative_to(site.root).as_posix() if outcome.path else ""
    return replace(site, slugs=site.slugs | {outcome.slug},
                   titles={**site.titles, fold(outcome.title): source})


def import_text(raw: bytes, name: str, site: SiteIndex, options: ImportOptions, *,
                today: dt.date) -> ImportOutcome:
    """One input to one briefing; writes nothing on a dry run or on any error."""
    text = read_text(raw, name)
    if isinstance(text, Diagnostic):
        return ImportOutcome(name, ok=False, diagnostics=(text,))
    cleaned = clean_text(text)
    if not cleaned.paragraphs:
        return ImportOutcome(name, ok=False, notes=cleaned.notes, diagnostics=(
            error(name, 0, 0, "no text is left besides the headline", hint="import the whole article"),))
    notes = list(cleaned.notes)
    diagnostics = _title_warnings(cleaned, site, name)
    date, how = choose_date(cleaned, options.date, today, name)
    if isinstance(how, Note):
        notes.append(how)
    elif how is not None:
        diagnostics.append(how)

    found = recognise(site.matcher, cleaned.title, cleaned.paragraphs)
    suggestions = suggest_names(site.matcher, site.known, cleaned.paragraphs)
    stubs: list[tuple[Stub, Position]] = []
    if options.create_entities:
        stubs = _plan_stubs(site.root, suggestions, notes)
    else:
        diagnostics += [_suggestion(name, s) for s in suggestions]

    slug = choose_slug(cleaned.title, site.slugs, options.slug)
    if slug is None:
        problem = (f"the slug '{options.slug}' is taken by another briefing" if options.slug
                   else "no free slug for this title")
        return ImportOutcome(name, ok=False, notes=tuple(notes), diagnostics=(
            *diagnostics, error(name, 0, 0, problem, hint="choose a slug with --slug")))

    actors = [(site.registry.actors[ref.id].name, at) for ref, at in found if ref.kind == "actor"]
    actors += [(stub.name, at) for stub, at in stubs]
    actors.sort(key=lambda named: (named[1].paragraph, named[1].offset))
    draft = Draft(
        title=cleaned.title,
        date=date,
        summary=summary(lede(cleaned)),
        actors=tuple(actor for actor, _ in actors),
        countries=tuple(site.registry.countries[ref.id].name for ref, _ in found if ref.kind == "country"),
        paragraphs=tuple(p.text for p in cleaned.paragraphs),
    )
    text = briefing_text(draft)
    outcome = ImportOutcome(name, ok=True, diagnostics=tuple(diagnostics), notes=tuple(notes),
                            path=briefing_path(site.root, date, slug), slug=slug, title=cleaned.title,
                            text=text, stubs=tuple(stub for stub, _ in stubs), dry_run=options.dry_run)
    if options.dry_run or outcome.path is None:
        return outcome
    return _write(outcome, outcome.path)


def _title_warnings(cleaned: CleanText, site: SiteIndex, name: str) -> list[Diagnostic]:
    warnings = []
    twin = site.titles.get(fold(cleaned.title))
    if twin is not None:
        warnings.append(warning(name, cleaned.title_line, 0, f"{twin} has the same title",
                                hint="this text may have been imported before"))
    if cleaned.title_from_sentence:
        warnings.append(warning(
            name, cleaned.paragraphs[0].line, 0,
            f"no headline (the first line reads as body text); title from the first sentence: "
            f"'{cleaned.title}'", hint="put the headline on the first line, or edit 'title'"))
    return warnings


def _suggestion(name: str, found: Suggestion) -> Diagnostic:
    mentions = f"{found.count} mention{'s' * (found.count != 1)}"
    return suggestion(
        name, found.line, 0, f"'{found.name}' ({mentions}) is not an actor or country of the registry",
        hint=f"add content/actors/{slugify(found.name) or '<id>'}.md, or rerun with --create-entities "
             f"(it would write a stub of kind {found.kind})")


def choose_date(cleaned: CleanText, given: dt.date | None, today: dt.date,
                name: str) -> tuple[dt.date, Note | Diagnostic | None]:
    """`given`, else a date line, else a dateline, else the first date in the text, else today.

    The second value says where a date from the text came from, or warns that none was found.
    """
    if given is not None:
        return given, None
    if cleaned.dates:
        mention, line = cleaned.dates[0]
        return mention.date, Note(line, f"date {mention.date} from the date line '{mention.text}'")
    first = cleaned.paragraphs[0]
    opening = dateline(first.text)
    if opening is not None:
        mention = opening[0]
        return mention.date, Note(first.line, f"date {mention.date} from the dateline '{mention.text}'")
    for paragraph in cleaned.paragraphs:
        mentions = find_dates(paragraph.text)
        if mentions:
            mention = mentions[0]
            return mention.date, Note(paragraph.line, f"date {mention.date} from the text: "
                                                      f"'{mention.text}' (check it is the story's date)")
    return today, warning(name, 0, 0, f"the text states no date; using today ({today.isoformat()})",
                          hint="pass --date YYYY-MM-DD")


def lede(cleaned: CleanText) -> str:
    """The first paragraph, without its dateline ('MOSCOW, May 8, 2024 - ')."""
    first = cleaned.paragraphs[0].text
    opening = dateline(first)
    return first[opening[1]:] if opening else first


def summary(lede: str) -> str:
    """The lede's opening sentences, as many as fit in SUMMARY_MAX_CHARS (at least one)."""
    taken: list[str] = []
    for sentence in sentences(lede):
        if taken and len(" ".join([*taken, sentence])) > SUMMARY_MAX_CHARS:
            break
        taken.append(sentence)
    return " ".join(taken)


def _plan_stubs(root: Path, suggestions: Sequence[Suggestion],
                notes: list[Note]) -> list[tuple[Stub, Position]]:
    """A stub for each suggestion whose file is free; none is written yet."""
    planned: list[tuple[Stub, Position]] = []
    ids: set[str] = set()
    for found in suggestions:
        entity_id = slugify(found.name)
        path = root / ACTORS_DIR / f"{entity_id}.md"
        if not entity_id:
            notes.append(Note(found.line, f"no stub for '{found.name}': its name gives no file name"))
        elif path.exists():
            notes.append(Note(found.line, f"no stub for '{found.name}': {path} exists (not overwritten, "
                                          "not declared)"))
        elif entity_id in ids:
            notes.append(Note(found.line, f"no stub for '{found.name}': another name of this text "
                                          f"takes {path}"))
        else:
            planned.append((Stub(path, found.name, found.kind, written=False), found.first))
        ids.add(entity_id)
    return planned


def _write(outcome: ImportOutcome, path: Path) -> ImportOutcome:
    """Write the briefing, then its stubs; a file that exists is never touched."""
    name = outcome.name
    try:
        if not write_new(path, outcome.text):
            return _failed(outcome, error(name, 0, 0, f"{path} already exists",
                                          hint="choose another slug with --slug"))
    except OSError as exc:
        return _failed(outcome, error(name, 0, 0, f"cannot write {path}: {exc.strerror or exc}"))
    stubs: list[Stub] = []
    problems: list[Diagnostic] = []
    for stub in outcome.stubs:
        try:
            written = write_new(stub.path, stub_text(stub.name, stub.kind, name))
        except OSError as exc:
            problems.append(error(name, 0, 0, f"cannot write {stub.path}: {exc.strerror or exc}"))
            written = False
        stubs.append(replace(stub, written=written))
    return replace(outcome, ok=not problems, written=True, stubs=tuple(stubs),
                   diagnostics=(*outcome.diagnostics, *problems))


def _failed(outcome: ImportOutcome, problem: Diagnostic) -> ImportOutcome:
    return ImportOutcome(outcome.name, ok=False, diagnostics=(*outcome.diagnostics, problem),
                         notes=outcome.notes)
