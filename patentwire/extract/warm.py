"""Building the extractor's lazy state ahead of the work, so forked workers inherit it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from types import ModuleType

import patentwire.extract
from patentwire import wordlists
from patentwire.companies import CompanyRegistry
from patentwire.extract.article import extract_article
from patentwire.extract.language import profiles
from patentwire.extract.model import ArticleInput


def warm_up(registry: CompanyRegistry | None = None) -> None:
    """Load every word list and pattern the extractor builds on first use (place names and first names
    take about a second), then read a short text per language for the state that depends on it."""
    for loader in _lazy_loaders():
        loader()
    for language in profiles():
        extract_article(ArticleInput(id="warm-up", text="Warm up.", language=language), registry)


def _lazy_loaders() -> Iterator[Callable[[], object]]:
    """The cached functions without arguments of the extractor's modules and the word lists: found, not
    listed, so a loader added later is warmed up too."""
    for module in (*_extract_modules(), wordlists):
        for function in vars(module).values():
            if (hasattr(function, "cache_info") and getattr(function, "__module__", None) == module.__name__
                    and not inspect.signature(function).parameters):
                yield function


def _extract_modules() -> Iterator[ModuleType]:
    for info in pkgutil.iter_modules(patentwire.extract.__path__, "patentwire.extract."):
        yield importlib.import_module(info.name)
