"""`briefgen serve`: a live preview that rebuilds on every save and reloads open pages."""

from briefgen.serve.session import Builder, ServeOptions, serve_site

__all__ = ["Builder", "ServeOptions", "serve_site"]
