"""briefgen: a static briefing-site generator.

The pipeline, one module per stage, imports flowing down this list only:
config -> content -> entities -> resolve -> markdown -> sitemodel -> render -> write,
with `build` orchestrating it and `cli` on top.
"""

__version__ = "0.1.0"
