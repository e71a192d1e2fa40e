"""The command line: each command parses its arguments, calls one function, maps errors
to exit codes (0 ok, 1 content or build errors, 2 usage errors)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from briefgen import __version__
from briefgen.build import OUTPUT_DIR, BuildResult, build_site, check_site, save_kept
from briefgen.cache import BuildCache, load_cache
from briefgen.diagnostics import Diagnostic, Report, Severity
from briefgen.errors import BriefgenError, ContentError, UsageError
from briefgen.importer import ImportOptions, import_files, print_run
from briefgen.scaffold import init_site, new_briefing

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        command = self.prog.removeprefix("briefgen").strip()  # `main` prints "briefgen: "
        raise UsageError(f"{command}: {message}" if command else message)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        """As argparse's, but an unknown option is told with its command's usage
        (`briefgen build: ...`), not the top level's."""
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            chosen = self._commands.get(getattr(parsed, "command", None) or "", self)
            chosen.error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed

    @property
    def _commands(self) -> dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="briefgen", description="Build a static briefing site from Markdown.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    common = _Parser(add_help=False)
    common.add_argument("--root", type=Path, default=Path(),
                        help="the site folder, holding site.yaml (default: the current folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    build = commands.add_parser("build", parents=[common], help="build the site into build/",
                                description="Check the content, then render the site into build/. "
                                            "On any error the previous build/ is left as it was.")
    build.add_argument("--drafts", action="store_true", help="include briefings marked draft")
    build.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    build.add_argument("--output", type=Path, metavar="DIR",
                       help=f"output folder (default: ROOT/{OUTPUT_DIR})")
    build.add_argument("--no-search", action="store_true",
                       help="skip the search index (faster; the search page says search is off)")
    build.add_argument("--no-cache", action="store_true",
                       help="ignore and do not update the build cache (.briefgen-cache/)")
    build.add_argument("--quiet", "-q", action="store_true",
                       help="print errors only (and a failed search index)")

    check = commands.add_parser("check", parents=[common], help="validate the content, write nothing",
                                description="Load and validate every file; exit 1 on errors.")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text for people, json for tools, github for Actions annotations")

    new = commands.add_parser("new", parents=[common], help="start a new briefing",
                              description="Write content/briefings/DATE-SLUG.md with front matter. "
                                          "Never overwrites a file.")
    new.add_argument("title", help="the briefing's title")
    new.add_argument("--date", type=_date, help="the briefing's date (default: today)")
    new.add_argument("--slug", help="the slug (default: from the title)")

    imp = commands.add_parser("import", parents=[common], help="turn raw article texts into briefings",
                              description="Clean each text (repeated headline and lede, stray footnote "
                                          "marks), recognise its actors and countries, and write "
                                          "content/briefings/DATE-SLUG.md. Never overwrites a file.")
    imp.add_argument("files", nargs="+", metavar="FILE", help="a text file, or '-' for standard input")
    imp.add_argument("--date", type=_date,
                     help="the briefing's date (default: a date in the text, else today)")
    imp.add_argument("--slug", help="the slug (default: from the title)")
    imp.add_argument("--dry-run", action="store_true", help="print the briefing instead of writing it")
    imp.add_argument("--create-entities", action="store_true",
                     help="write stub actor files for unknown names, and declare them")
    serve = commands.add_parser("serve", parents=[common], help="preview the site, rebuilding on save",
                                description="Build the site into build/, serve it, and rebuild and "
                                            "reload open pages on every change to content/, templates/, "
                                            "static/ or site.yaml. Broken content shows an error on the "
                                            "page; the server keeps running.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve.add_argument("--drafts", action="store_true", help="include briefings marked draft")

    init = commands.add_parser("init", help="create a new site", description="Create a new, "
                               "working briefing site in DIR.")
    init.add_argument("dir", type=Path, help="the folder to create the site in")
    return parser


def run() -> NoReturn:
    """The `briefgen` command: `main`, then exit without tearing down what the command
    made. A build's site model is millions of objects, and freeing them one by one
    (as the build returns, then at exit) took 0.35 s at 10,000 briefings; every file
    the command wrote is closed by then, and every process it started has ended."""
    held: list[object] = []
    code = main(leftovers=held)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a reader that left: nothing more to say
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None, *, leftovers: list[object] | None = None) -> int:
    """Run the command of `argv`; its exit code. `leftovers` (`run`) is given what a build
    made, to be dropped with the process."""
    try:
        args = make_parser().parse_args(argv)
        return _run(args, leftovers)
    except ContentError as exc:
        _print_report(exc.report, sys.stderr)
        return exc.exit_code
    except BriefgenError as exc:
        print(f"briefgen: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `briefgen check | head`: the reader left; say nothing more
        with contextlib.suppress(OSError):
            sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - keeps the exit flush quiet
        return EXIT_OK


def _run(args: argparse.Namespace, leftovers: list[object] | None) -> int:
    if args.command == "build":
        return _build(args, leftovers)
    if args.command == "check":
        return _check(args)
    if args.command == "new":
        path = new_briefing(args.root, args.title, date=args.date or dt.date.today(), slug=args.slug)
        print(path)
        return EXIT_OK
    if args.command == "import":
        options = ImportOptions(args.date, args.slug, args.dry_run, args.create_entities)
        run = import_files(_root(args), args.files, options, stdin=sys.stdin.buffer, today=dt.date.today())
        print_run(run, sys.stdout, sys.stderr)
        return EXIT_OK if run.ok else EXIT_CONTENT
    if args.command == "serve":
        return _serve(args)
    if args.command == "init":
        written = init_site(args.dir, today=dt.date.today())
        print(f"created a site in {args.dir} ({len(written)} files); next: cd {args.dir} && briefgen build")
        return EXIT_OK
    raise UsageError(f"unknown command {args.command}")


def _root(args: argparse.Namespace) -> Path:
    root: Path = args.root
    if not root.is_dir():
        raise UsageError(f"--root {root} is not a folder")
    return root


def _build(args: argparse.Namespace, leftovers: list[object] | None) -> int:
    root = _root(args)
    interactive = sys.stderr.isatty() and not args.quiet

    def progress(message: str) -> None:
        if interactive:
            print(f"briefgen: {message}", file=sys.stderr)

    def warn(message: str) -> None:
        if not args.quiet:
            print(f"briefgen: warning: {message}", file=sys.stderr)

    result = build_site(root, args.output, drafts=args.drafts, base_url=args.base_url,
                        search=not args.no_search, use_cache=not args.no_cache,
                        progress=progress, warn=warn, leftovers=leftovers)
    _print_report(result.report, sys.stderr, quiet=args.quiet, suggestions=False)
    for message in result.warnings:
        print(f"briefgen: warning: {message}", file=sys.stderr)
    if not args.quiet:
        stats = result.stats
        print(f"built {result.pages} pages: {stats.written} files written, {stats.unchanged} unchanged, "
              f"{stats.removed} removed in {result.seconds:.2f}s ({result.rendered} pages rendered)")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from briefgen.serve import ServeOptions, serve_site  # tornado and watchfiles: only when serving
    from briefgen.serve.builder import BuildProcess, can_fork

    root = _root(args)
    out_dir = root / OUTPUT_DIR

    def warn(message: str) -> None:
        print(f"briefgen: warning: {message}", file=sys.stderr)

    cache: BuildCache | None = None
    saved = False  # a good build's cache is on disk
    unsaved = False  # the last build was good and came after that

    def build(workers: int | None) -> BuildResult:
        # The cache lives in memory; until a build succeeds, it is written to disk too, so
        # that the next `serve` or `build` starts from it, not from nothing (and again on
        # the way out, when the last build was good: `finish`).
        nonlocal cache, saved, unsaved
        if cache is None:
            cache = load_cache(root, warn)
        unsaved = False
        result = build_site(root, out_dir, drafts=args.drafts, search=False, publishing=False, cache=cache,
                            persist=not saved, workers=workers, warn=warn)
        unsaved, saved = saved, True
        return result

    def finish() -> None:
        if unsaved and cache is not None:
            save_kept(root, out_dir, cache, warn)

    options = ServeOptions(root, out_dir, args.host, args.port, args.open)
    if not can_fork():  # built on one of the server's threads: one process, one core
        serve_site(options, lambda: build(1))
        finish()
        return EXIT_OK
    builder = BuildProcess(lambda: build(None), finish)  # forked before the server starts a thread
    try:
        serve_site(options, builder, abort=builder.kill)
    finally:
        builder.close()
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    root = _root(args)
    report = check_site(root)
    if args.format == "json":
        json.dump(_json_report(report, args.strict), sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "github":
        for d in report.diagnostics:
            print(_github_annotation(d, args.strict, root))
    else:
        _print_report(report, sys.stdout)
    return EXIT_CONTENT if report.failed(strict=args.strict) else EXIT_OK


def _print_report(report: Report, stream: TextIO, *, quiet: bool = False,
                  suggestions: bool = True) -> None:
    """Every diagnostic (errors only when `quiet`); a build leaves suggestions to `check`."""
    for diagnostic in report.diagnostics:
        if quiet and diagnostic.severity is not Severity.ERROR:
            continue
        if not suggestions and diagnostic.severity is Severity.SUGGESTION:
            continue
        print(diagnostic.format(), file=stream)
    if report.diagnostics and not quiet:
        hidden = report.count(Severity.SUGGESTION) if not suggestions else 0
        more = " (suggestions are listed by 'briefgen check')" if hidden else ""
        print(report.summary() + more, file=stream)


def _json_report(report: Report, strict: bool) -> dict[str, object]:
    return {
        "ok": not report.failed(strict=strict),
        "summary": {s.value: report.count(s) for s in Severity},
        "diagnostics": [
            {"path": d.path, "line": d.line, "column": d.col, "severity": d.severity.value,
             "message": d.message, "hint": d.hint}
            for d in report.diagnostics
        ],
    }


def _github_annotation(d: Diagnostic, strict: bool, root: Path) -> str:
    """One workflow command, with the file named from the current folder as Actions expects."""
    level = {"error": "error", "warning": "warning", "suggestion": "notice"}[d.severity.value]
    if strict and d.severity is Severity.WARNING:
        level = "error"
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    place = f"file={_escape_property(_repo_path(root, d.path))}"
    if d.line:
        place += f",line={d.line}"
        if d.col:
            place += f",col={d.col}"
    return f"::{level} {place}::{_escape_data(message)}"


def _repo_path(root: Path, path: str) -> str:
    """The file from the current folder (the repository, on Actions) when the site is inside it,
    else as the site names it."""
    try:
        return (root / path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path


def _escape_data(text: str) -> str:
    """A workflow command's message: '%' and line breaks percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ',', which delimit properties."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


if __name__ == "__main__":
    sys.exit(main())
