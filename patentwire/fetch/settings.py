"""How the crawler behaves: the `fetch:` block of sources.yaml, and the policy one host is fetched under.

Both live here, with the client that obeys them, so that fetching never needs to know what a source is:
`sources` hands the client a `HostPolicy` per source name, never a `Source`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from patentwire import __version__

PROJECT_URL = "https://github.com/patentwire/patentwire"


class FetchSettings(BaseModel):
    """How the crawler behaves towards every host (the `fetch:` block)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user_agent: str = f"patentwire/{__version__}"  # product token; robots.txt groups for "patentwire" apply
    contact: str = PROJECT_URL  # named in the User-Agent so site owners can reach whoever runs the crawl
    concurrency: int = Field(8, ge=1, le=64)
    connect_timeout: float = Field(5.0, gt=0)
    read_timeout: float = Field(15.0, gt=0)  # longest silence between two reads of one response
    total_timeout: float = Field(60.0, gt=0)  # a server that drips bytes slowly cannot hold a worker for ever
    max_bytes: int = Field(5_000_000, gt=0)  # decoded page size; bigger bodies are abandoned mid-stream
    max_document_bytes: int = Field(52_428_800, gt=0)  # feeds, sitemaps (the protocol allows 50 MiB), listings
    max_redirects: int = Field(5, ge=0)
    retries: int = Field(3, ge=0)  # extra attempts after a connection error, a 429 or a 5xx
    backoff: float = Field(0.5, ge=0)  # seconds; doubled on every retry
    max_retry_after: float = Field(120.0, ge=0)  # a longer Retry-After gives up instead of stalling the run
    refresh_hours: float = Field(20.0, ge=0)  # a page fetched successfully this recently is not fetched again
    # A page that keeps coming back unchanged is asked for less often: after `revisit_share` of the time its
    # body has been seen unchanged (at least refresh_hours, at most max_refresh_hours; refresh_hours 0 = every run).
    revisit_share: float = Field(0.5, ge=0)
    max_refresh_hours: float = Field(720.0, ge=0)
    retire_after_days: float = Field(90.0, ge=0)  # a page first fetched this long ago is never fetched again; 0 = never
    respect_robots: bool = True
    use_proxy_env: bool = False  # honour HTTP(S)_PROXY; off by default, a proxy would hide where we connect
    max_sitemap_depth: int = Field(3, ge=1)  # sitemap index → sitemap index → … → urlset

    @property
    def user_agent_header(self) -> str:
        return f"{self.user_agent} (+{self.contact})"


@dataclass(frozen=True)
class HostPolicy:
    """What the client needs from whoever asked for a URL: how often to ask, and whether private
    addresses (local test servers, intranets) may be reached."""

    rate: float = 1.0  # requests per second
    allow_private: bool = False
    allow_files: bool = False  # file:// URLs; only for a source whose own configured url or path is local


DEFAULT_POLICY = HostPolicy()
