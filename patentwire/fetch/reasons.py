"""Why a fetch failed, in words a person understands (the `reason` column of the fetch log)."""

from __future__ import annotations

TIMEOUT = "timeout"  # the server went silent for longer than read_timeout, or the whole fetch took too long
CONNECT_TIMEOUT = "connect_timeout"
CONNECTION_ERROR = "connection_error"  # refused, reset, TLS failure
DNS_ERROR = "dns_error"
PRIVATE_ADDRESS = "private_address"  # host resolves to a private/loopback/link-local address, not allowed
ROBOTS_DISALLOWED = "robots_disallowed"
TOO_LARGE = "too_large"  # body (decoded) bigger than max_bytes
TRUNCATED_BODY = "truncated_body"  # connection closed early, or a compressed body that ends mid-stream
BAD_ENCODING = "bad_content_encoding"  # Content-Encoding we did not ask for, or corrupt compressed data
NOT_HTML = "not_html"
REDIRECT_LOOP = "redirect_loop"
TOO_MANY_REDIRECTS = "too_many_redirects"
RETRY_AFTER_TOO_LONG = "retry_after_too_long"
INVALID_URL = "invalid_url"
FILE_NOT_FOUND = "file_not_found"
NOT_A_FILE = "not_a_file"
MALFORMED_FEED = "malformed_feed"
MALFORMED_SITEMAP = "malformed_sitemap"
MALFORMED_LISTING = "malformed_listing"
# file:// from a source whose own url/path is not local (a link in a remote feed, sitemap or listing);
# the file is never looked at, so the reason says nothing about whether it exists
LOCAL_FILE_REFUSED = "local_file_refused"
SYMLINK_OUTSIDE_FOLDER = "symlink_outside_folder"  # an archive or inbox entry that points out of its folder
NEVER_ALLOWED_ADDRESS = "link_local_or_metadata_address"  # refused even with allow_private
TOO_DEEP = "sitemap_too_deep"  # a sitemap index nested deeper than fetch.max_sitemap_depth


def http_status(status: int) -> str:
    """`http_404`, `http_500`, …"""
    return f"http_{status}"
