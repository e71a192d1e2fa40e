"""Benchmark tools for briefgen: a synthetic corpus generator and a build-speed runner.

`python -m bench.corpus OUT_DIR --briefings N` writes a site; `python -m bench.run`
measures `briefgen build` on such sites in several scenarios (see README.md).
"""
