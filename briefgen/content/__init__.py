"""Reading content: files to typed, immutable records, with diagnostics."""

from briefgen.content.loader import load_content
from briefgen.content.models import (
    Actor,
    Briefing,
    Content,
    Country,
    Page,
    RelationStatement,
    Source,
)

__all__ = [
    "Actor",
    "Briefing",
    "Content",
    "Country",
    "Page",
    "RelationStatement",
    "Source",
    "load_content",
]
