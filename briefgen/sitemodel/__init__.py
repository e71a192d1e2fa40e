"""The site model: indexes over the linked content, and every page as plain data."""

from briefgen.sitemodel.model import SiteModel, build_model
from briefgen.sitemodel.pages import PageSpec, build_pages, menu

__all__ = ["PageSpec", "SiteModel", "build_model", "build_pages", "menu"]
