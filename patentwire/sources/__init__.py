"""Sources: the sources.yaml file and discovery of article URLs from feeds, sitemaps, listings, archives."""

from patentwire.sources.config import Source, SourceConfigError, SourcesConfig, load_sources
from patentwire.sources.discover import DISCOVERED_COLUMNS, Discovery, discover
from patentwire.urls import normalize_url

__all__ = ["DISCOVERED_COLUMNS", "Discovery", "Source", "SourceConfigError", "SourcesConfig",
           "discover", "load_sources", "normalize_url"]
