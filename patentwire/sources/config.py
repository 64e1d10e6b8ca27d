"""`sources.yaml`: which feeds, sitemaps, newsrooms, URL lists and archives to crawl, and how politely.

The file is validated on load. Every mistake a user can make is reported with the file, the source and
the field, and an unknown key is an error (a typo such as `rat:` must not silently fall back to a default).
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal

import yaml
from cssselect import GenericTranslator, SelectorError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from patentwire.fetch.settings import FetchSettings, HostPolicy

SourceKind = Literal["feed", "sitemap", "listing", "urls", "archive"]
NEEDS_URL: frozenset[str] = frozenset({"feed", "sitemap", "listing"})
DEFAULT_MAX_PAGES = 1000


class SourceConfigError(ValueError):
    """`sources.yaml` cannot be used; the message names the file, the source and the field."""


class Source(BaseModel):
    """One entry of `sources:`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    kind: SourceKind
    url: str | None = None  # absolute http(s)/file URL after loading
    path: Path | None = None  # archive folder, absolute after loading
    urls: list[str] | None = None
    language: str | None = None
    include: list[str] = []  # regular expressions searched in each article URL
    exclude: list[str] = []
    # most article URLs taken from this source per run: a listing with 100k links must not schedule 100k fetches
    max_pages: int | None = Field(DEFAULT_MAX_PAGES, gt=0)
    since: datetime | None = None  # entries dated before this are skipped (where the feed/sitemap dates them)
    rate: float = Field(1.0, gt=0)  # requests per second to this source's hosts
    enabled: bool = True
    allow_private: bool = False  # permit private/loopback addresses (local test servers, intranets)
    link_selector: str | None = None  # listing: CSS selector of article links
    next_selector: str | None = None  # listing: CSS selector of the "next page" link
    max_listing_pages: int = Field(5, ge=1)

    @field_validator("since", mode="before")
    @classmethod
    def _date_is_midnight_utc(cls, value: Any) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime):
            return datetime.combine(value, time(), tzinfo=UTC)
        return value

    @field_validator("since")
    @classmethod
    def _naive_is_utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    @field_validator("include", "exclude")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"{pattern!r} is not a regular expression ({error})") from error
        return patterns

    @field_validator("link_selector", "next_selector")
    @classmethod
    def _selector_parses(cls, selector: str | None) -> str | None:
        if selector is not None:
            try:
                GenericTranslator().css_to_xpath(selector)
            except SelectorError as error:
                raise ValueError(f"{selector!r} is not a CSS selector ({error})") from error
        return selector

    @model_validator(mode="after")
    def _kind_has_what_it_needs(self) -> Source:
        if self.kind in NEEDS_URL and not self.url:
            raise ValueError(f"a {self.kind} source needs `url:`")
        if self.kind == "archive" and self.path is None:
            raise ValueError("an archive source needs `path:` (a folder of saved .html / .html.gz pages)")
        if self.kind == "urls" and not self.urls:
            raise ValueError("a urls source needs a non-empty `urls:` list")
        if self.kind == "listing" and not self.link_selector:
            raise ValueError("a listing source needs `link_selector:` (CSS selector of the article links)")
        return self

    @property
    def host_policy(self) -> HostPolicy:
        return HostPolicy(rate=self.rate, allow_private=self.allow_private, allow_files=self.is_local)

    @property
    def is_local(self) -> bool:
        """The source's own configured location is on this machine: an archive folder or a file:// URL
        (after loading, a relative `url:` is a file:// URL). Only then may its documents name local files."""
        if self.kind == "archive":
            return True
        locations = [self.url] if self.url else list(self.urls or [])
        return bool(locations) and all(location.lower().startswith("file:") for location in locations)

    def wants(self, url: str) -> bool:
        """Whether an article URL passes this source's include/exclude patterns."""
        if self.include and not any(re.search(pattern, url) for pattern in self.include):
            return False
        return not any(re.search(pattern, url) for pattern in self.exclude)


class SourcesConfig(BaseModel):
    """The whole file: fetch settings and the sources, with relative locations made absolute."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path | None = None  # the file it was loaded from
    fetch: FetchSettings = FetchSettings()
    sources: list[Source]

    @property
    def enabled_sources(self) -> list[Source]:
        return [source for source in self.sources if source.enabled]

    def source(self, name: str) -> Source | None:
        return next((source for source in self.sources if source.name == name), None)

    @property
    def host_policies(self) -> dict[str, HostPolicy]:
        """What `HttpClient` needs of each source, by the source name that fetch-log rows carry."""
        return {source.name: source.host_policy for source in self.sources}


# --- loading ----------------------------------------------------------------------------------

SOURCE_KEYS = frozenset(Source.model_fields)
DEFAULTABLE_KEYS = SOURCE_KEYS - {"name", "kind", "url", "path", "urls"}
FETCH_KEYS = frozenset(FetchSettings.model_fields)
TOP_KEYS = frozenset({"defaults", "fetch", "sources"})


def load_sources(path: str | Path) -> SourcesConfig:
    """Read and validate a sources file; relative URLs and paths are taken against its folder."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceConfigError(f"{path}: file not found. Pass the path of an existing sources.yaml.") from None
    except yaml.YAMLError as error:
        raise SourceConfigError(f"{path}: not valid YAML ({error}).") from error
    except UnicodeDecodeError as error:
        raise SourceConfigError(f"{path}: not UTF-8 text (byte {error.start + 1}); save the file as UTF-8.") from None
    except OSError as error:
        raise SourceConfigError(f"{path}: cannot be read ({error.strerror or error}).") from None
    return parse_sources(raw, path)


def parse_sources(raw: Any, path: Path) -> SourcesConfig:
    """Validate an already-read sources document (`path` names it in errors and anchors relative paths).

    Every problem in the file is collected and reported at once, one line each, so a user fixes them in one go.
    """
    where = str(path)
    if not isinstance(raw, dict):
        raise SourceConfigError(f"{where}: expected a mapping with a `sources:` list at the top.")
    problems = _unknown_keys(raw, TOP_KEYS, where)
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append(f"{where}, defaults: expected a mapping of source keys.")
        defaults = {}
    problems += _unknown_keys(defaults, DEFAULTABLE_KEYS, f"{where}, defaults")
    defaults = {key: value for key, value in defaults.items() if key in DEFAULTABLE_KEYS}
    fetch = _validated_fetch(raw.get("fetch") or {}, where, problems)
    entries = raw.get("sources")
    sources: list[Source] = []
    if not isinstance(entries, list) or not entries:
        problems.append(f"{where}: `sources:` must be a non-empty list of sources.")
    else:
        base = path.resolve().parent
        for index, entry in enumerate(entries):
            source = _validated_source(entry, index, defaults, base, where, problems)
            if source is not None:
                sources.append(source)
        problems += _duplicate_names(sources, where)
    if problems:
        raise SourceConfigError("\n".join(problems))
    return SourcesConfig(path=path.resolve(), fetch=fetch, sources=sources)


def _validated_fetch(block: Any, where: str, problems: list[str]) -> FetchSettings:
    if not isinstance(block, dict):
        problems.append(f"{where}, fetch: expected a mapping of fetch settings.")
        return FetchSettings()
    problems += _unknown_keys(block, FETCH_KEYS, f"{where}, fetch")
    try:
        return FetchSettings(**{key: value for key, value in block.items() if key in FETCH_KEYS})
    except ValidationError as error:
        problems += _describe(error, f"{where}, fetch")
        return FetchSettings()


def _validated_source(entry: Any, index: int, defaults: dict, base: Path, where: str,
                      problems: list[str]) -> Source | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}, source #{index + 1}: expected a mapping with `name:` and `kind:`.")
        return None
    label = f"{where}, source '{entry['name']}'" if entry.get("name") else f"{where}, source #{index + 1}"
    unknown = _unknown_keys(entry, SOURCE_KEYS, label)
    problems += unknown
    merged = {**defaults, **{key: value for key, value in entry.items() if key in SOURCE_KEYS}}
    try:
        if isinstance(merged.get("url"), str):
            merged["url"] = absolute_location(merged["url"], base)
        if isinstance(merged.get("urls"), list):
            merged["urls"] = [absolute_location(u, base) if isinstance(u, str) else u for u in merged["urls"]]
    except ValueError as error:
        problems.append(f"{label}: {error}")
        return None
    if isinstance(merged.get("path"), str):
        merged["path"] = (base / Path(merged["path"]).expanduser()).resolve()
    try:
        source = Source(**merged)
    except ValidationError as error:
        problems += _describe(error, label)
        return None
    return None if unknown else source


def absolute_location(location: str, base: Path) -> str:
    """http(s) and file URLs stay; anything else is a path relative to the sources file's folder."""
    if re.match(r"^(https?|file)://", location, flags=re.IGNORECASE):
        return location
    if re.match(r"^[a-z][a-z0-9+.-]*://", location, flags=re.IGNORECASE):
        raise ValueError(f"unsupported URL scheme in {location!r}: use http(s)://, file:// or a path")
    local = (base / Path(location).expanduser()).resolve()
    first, _, rest = location.partition("/")
    if rest and _HOST_NAME.match(first) and not local.exists():
        raise ValueError(f"{location!r} looks like a web address without its scheme and is no local file: "
                         f"write https://{location}")
    return local.as_uri()


_HOST_NAME = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?$", re.IGNORECASE)


def _unknown_keys(mapping: dict, known: frozenset[str], label: str) -> list[str]:
    problems = []
    for key in mapping:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(sorted(known))})"
            problems.append(f"{label}: unknown key '{key}'{hint}")
    return problems


def _duplicate_names(sources: list[Source], where: str) -> list[str]:
    seen: set[str] = set()
    problems = []
    for source in sources:
        if source.name in seen:
            problems.append(f"{where}, source '{source.name}': the name is used twice; names must be unique.")
        seen.add(source.name)
    return problems


def _describe(error: ValidationError, label: str) -> list[str]:
    """Pydantic's errors as one line per problem, each naming the field."""
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{label}, field '{field}': {message}" if field else f"{label}: {message}")
    return problems
