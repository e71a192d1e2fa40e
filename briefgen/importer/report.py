"""What `briefgen import` prints: briefings or their paths on stdout, everything else on stderr."""

from __future__ import annotations

from typing import TextIO

from briefgen.importer.run import ImportOutcome, ImportRun


def print_run(run: ImportRun, out: TextIO, err: TextIO) -> None:
    for diagnostic in run.site_diagnostics:
        print(diagnostic.format(), file=err)
    for outcome in run.outcomes:
        print_outcome(outcome, out, err)


def print_outcome(outcome: ImportOutcome, out: TextIO, err: TextIO) -> None:
    for note in outcome.notes:
        print(note.format(outcome.name), file=err)
    for diagnostic in outcome.diagnostics:
        print(diagnostic.format(), file=err)
    for stub in outcome.stubs:
        did = "wrote" if stub.written else ("would write" if outcome.dry_run else "did not write")
        print(f"{outcome.name}: {did} the stub {stub.path} ({stub.kind}); check it", file=err)
    if outcome.written:
        print(outcome.path, file=out)
    elif outcome.ok and outcome.dry_run:
        print(f"{outcome.name}: dry run, would write {outcome.path}", file=err)
        out.write(outcome.text)
    else:
        print(f"{outcome.name}: nothing written", file=err)
