"""What one fetch of one URL produced, whatever the scheme."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fetched:
    """The result of `HttpClient.get`: a body, a "not modified", or a failure with its reason."""

    url: str
    final_url: str | None = None
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None  # media type only, lower-case, no parameters
    etag: str | None = None
    last_modified: str | None = None
    elapsed_ms: float | None = None
    reason: str | None = None  # set when the fetch failed
    not_modified: bool = False  # 304, or a local file whose size and mtime did not change

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def size(self) -> int | None:
        return None if self.body is None else len(self.body)
