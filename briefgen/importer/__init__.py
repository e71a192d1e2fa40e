"""`briefgen import`: raw article texts (often scraped) to clean briefings.

Stages, each a module: `read` (bytes to text) -> `clean` (title, paragraphs,
duplicates) -> `dates` -> `entities` (registry matches, unknown names) ->
`write` (front matter, Markdown body, files never overwritten); `run` strings
them together per input, `report` prints the outcome.
"""

from briefgen.importer.report import print_run
from briefgen.importer.run import ImportOptions, ImportOutcome, ImportRun, import_files, import_text

__all__ = ["ImportOptions", "ImportOutcome", "ImportRun", "import_files", "import_text", "print_run"]
