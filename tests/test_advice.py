"""What `patentwire run` tells its user before and after a crawl: an unset contact, a refused local address."""

from pathlib import Path

import pytest

from patentwire.sources.advice import contact_warning, failure_hint, is_loopback_url
from patentwire.sources.config import parse_sources


def config(sources: list[dict], **fetch):
    return parse_sources({"sources": sources, **({"fetch": fetch} if fetch else {})}, Path("/tmp/sources.yaml"))


# URLs here are only classified as strings, never contacted (the suite's socket guard refuses any
# connection beyond loopback); a private IPv6 address (fd00::/8) is told apart from the loopback ones.
@pytest.mark.parametrize(("url", "loopback"), [
    ("http://127.0.0.1:8080/feed.xml", True), ("http://[0:0:0:0:0:0:0:1]/", True), ("http://[::1]/x", True),
    ("http://localhost/x", True), ("http://" + "localhost".upper() + ":8080/x", True),  # host names ignore case
    ("https://news.example/feed", False),
    ("http://[fd00::8]/feed.xml", False), ("file:///tmp/feed.xml", False),
])
def test_loopback_is_told_from_the_url_alone(url, loopback):
    assert is_loopback_url(url) is loopback


def test_unset_contact_warns_only_when_a_real_host_is_crawled():
    remote = {"name": "wire", "kind": "feed", "url": "https://news.example/feed.xml"}
    local = {"name": "lab", "kind": "feed", "url": "http://127.0.0.1:8000/feed.xml"}
    warning = contact_warning(config([remote, local]))
    assert warning is not None and "fetch.contact is not set" in warning and "https://news.example/feed.xml" in warning
    assert contact_warning(config([remote], contact="mailto:ip@corp.example")) is None
    assert contact_warning(config([local, {"name": "saved", "kind": "archive", "path": "pages"}])) is None
    assert contact_warning(config([{**remote, "enabled": False}, local])) is None


def test_private_address_on_loopback_hints_at_allow_private():
    hint = failure_hint("private_address", "http://127.0.0.1:9/feed.xml")
    assert hint is not None and "allow_private: true" in hint and "loopback" in hint
    assert "allow_private" in failure_hint("private_address", "http://[fd00::8]/feed.xml")
    assert failure_hint("http_500", "http://127.0.0.1/feed.xml") is None
