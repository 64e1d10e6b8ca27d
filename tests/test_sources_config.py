"""sources.yaml: validation with messages that name the file, the source and the field."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentwire.sources import SourceConfigError, load_sources, normalize_url


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_example_loads_with_defaults_and_relative_locations(tmp_path):
    path = write(tmp_path, """
defaults:
  rate: 2.5
fetch:
  refresh_hours: 6
  concurrency: 4
  user_agent: patentwire-test/1
sources:
  - name: wire
    kind: feed
    url: feeds/wire.xml
    language: en
    since: 2020-01-01
  - name: blog
    kind: listing
    url: https://blog.example/news/
    link_selector: "main article h2 a"
    next_selector: "a[rel=next]"
    max_listing_pages: 3
    rate: 0.5
  - name: saved
    kind: archive
    path: archive
  - name: picks
    kind: urls
    urls: [https://a.example/x.html, pages/y.html]
    enabled: false
""")
    config = load_sources(path)
    wire, blog, saved, picks = config.sources
    assert wire.url == (tmp_path / "feeds" / "wire.xml").resolve().as_uri()
    assert wire.rate == 2.5 and blog.rate == 0.5
    assert wire.since == datetime(2020, 1, 1, tzinfo=UTC)
    assert saved.path == (tmp_path / "archive").resolve()
    assert picks.urls[1] == (tmp_path / "pages" / "y.html").resolve().as_uri()
    assert [s.name for s in config.enabled_sources] == ["wire", "blog", "saved"]
    assert config.fetch.refresh_hours == 6 and config.fetch.concurrency == 4
    assert config.fetch.user_agent_header.startswith("patentwire-test/1 (+http")


def test_unknown_source_key_is_an_error_with_a_suggestion(tmp_path):
    path = write(tmp_path, "sources:\n  - name: nokia-news\n    kind: feed\n    url: f.xml\n    rat: 2\n")
    with pytest.raises(SourceConfigError) as raised:
        load_sources(path)
    message = str(raised.value)
    assert "sources.yaml, source 'nokia-news': unknown key 'rat' (did you mean 'rate'?)" in message


def test_unknown_fetch_and_top_level_keys_are_errors(tmp_path):
    with pytest.raises(SourceConfigError, match=r"fetch: unknown key 'retrys' \(did you mean 'retries'\?\)"):
        load_sources(write(tmp_path, "fetch:\n  retrys: 2\nsources:\n  - {name: a, kind: urls, urls: [x.html]}\n"))
    with pytest.raises(SourceConfigError, match="unknown key 'source'"):
        load_sources(write(tmp_path, "source:\n  - {name: a, kind: urls, urls: [x.html]}\n"))


def test_every_mistake_in_the_file_is_reported_at_once(tmp_path):
    path = write(tmp_path, (
        "fetch:\n  retrys: 2\n  concurrency: many\n"
        "sources:\n"
        "  - {name: a, kind: feed, url: f.xml, rat: 2}\n"
        "  - {name: b, kind: sitemap}\n"
        "  - {name: c, kind: listing, url: l.html, link_selector: 'a[', rate: -1}\n"
        "  - {name: a, kind: urls, urls: [x.html]}\n"))
    with pytest.raises(SourceConfigError) as raised:
        load_sources(path)
    lines = str(raised.value).splitlines()
    expected = ["fetch: unknown key 'retrys'", "fetch, field 'concurrency'", "source 'a': unknown key 'rat'",
                "source 'b': a sitemap source needs `url:`", "source 'c', field 'link_selector'",
                "source 'c', field 'rate'"]
    for fragment in expected:
        assert sum(fragment in line for line in lines) == 1, (fragment, lines)
    assert len(lines) == len(expected)  # the repeated name 'a' is not reported: the first 'a' is already wrong


def test_wrong_type_names_the_source_and_the_field(tmp_path):
    path = write(tmp_path, "sources:\n  - name: wire\n    kind: feed\n    url: f.xml\n    rate: -1\n")
    with pytest.raises(SourceConfigError, match=r"source 'wire', field 'rate': .*greater than 0"):
        load_sources(path)


def test_kind_without_its_location_is_an_error(tmp_path):
    with pytest.raises(SourceConfigError, match="source 'blog'.*needs `link_selector:`"):
        load_sources(write(tmp_path, "sources:\n  - {name: blog, kind: listing, url: i.html}\n"))
    with pytest.raises(SourceConfigError, match="source 'wire'.*needs `url:`"):
        load_sources(write(tmp_path, "sources:\n  - {name: wire, kind: feed}\n"))
    with pytest.raises(SourceConfigError, match="kind"):
        load_sources(write(tmp_path, "sources:\n  - {name: wire, kind: podcast, url: x}\n"))


def test_bad_css_selector_and_bad_pattern_are_reported(tmp_path):
    with pytest.raises(SourceConfigError, match="field 'link_selector'.*not a CSS selector"):
        load_sources(write(tmp_path, "sources:\n  - {name: b, kind: listing, url: i.html, link_selector: 'a[['}\n"))
    with pytest.raises(SourceConfigError, match="field 'include'.*not a regular expression"):
        load_sources(write(tmp_path, "sources:\n  - {name: b, kind: urls, urls: [x.html], include: ['(']}\n"))


def test_duplicate_names_are_rejected(tmp_path):
    text = "sources:\n  - {name: a, kind: urls, urls: [x.html]}\n  - {name: a, kind: urls, urls: [y.html]}\n"
    with pytest.raises(SourceConfigError, match="source 'a': the name is used twice"):
        load_sources(write(tmp_path, text))


def test_missing_file_and_broken_yaml_say_what_to_do(tmp_path):
    with pytest.raises(SourceConfigError, match="file not found"):
        load_sources(tmp_path / "nope.yaml")
    with pytest.raises(SourceConfigError, match="not valid YAML"):
        load_sources(write(tmp_path, "sources: [\n"))


def test_include_and_exclude_patterns_filter_urls(tmp_path):
    text = "sources:\n  - {name: a, kind: urls, urls: [x.html], include: ['/news/'], exclude: ['/news/jobs']}\n"
    (source,) = load_sources(write(tmp_path, text)).sources
    assert source.wants("https://a.example/news/deal.html")
    assert not source.wants("https://a.example/news/jobs/1.html")
    assert not source.wants("https://a.example/about.html")


def test_url_normalization_lowercases_host_and_drops_fragment_and_tracking():
    assert normalize_url("HTTP://News.Example:80/a/./b/../deal.html?utm_source=rss&id=3#top") == \
        "http://news.example/a/deal.html?id=3"
    assert normalize_url("https://news.example") == "https://news.example/"
    assert normalize_url("ftp://news.example/x") is None


@given(st.sampled_from(["http", "HTTPS", "https"]), st.sampled_from(["a.example", "News.Example"]),
       st.lists(st.sampled_from(["x", "y", "..", "."]), max_size=4),
       st.dictionaries(st.sampled_from(["id", "utm_medium", "page", "fbclid"]), st.sampled_from(["1", "2"])),
       st.sampled_from(["", "#frag"]))
def test_normalization_is_idempotent_and_never_keeps_fragments(scheme, host, segments, query, fragment):
    url = f"{scheme}://{host}/{'/'.join(segments)}?{'&'.join(f'{k}={v}' for k, v in query.items())}{fragment}"
    once = normalize_url(url)
    assert once is not None and "#" not in once and "utm_" not in once
    assert normalize_url(once) == once
