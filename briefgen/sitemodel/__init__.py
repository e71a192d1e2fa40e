"""The site model: indexes over the linked content, and every page as plain data."""

from briefgen.sitemodel.model import SiteModel, build_model
from briefgen.sitemodel.pages import lay_out, menu
from briefgen.sitemodel.spec import PageSpec

__all__ = ["PageSpec", "SiteModel", "build_model", "lay_out", "menu"]
