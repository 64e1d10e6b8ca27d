"""The parse stage on small hand-written pages: body, decoding, dates, language, no-article reasons."""

import datetime as dt
import gzip
import json
import pathlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentwire.parse import PARSER_VERSION, ParsedPage, parse_page, parse_record
from patentwire.parse.dates import latest_local_date
from patentwire.parse.decoding import decode_html
from patentwire.parse.metadata import find_canonical_url, normalize_language_code
from trafilatura.utils import load_html

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "parse"
FETCHED = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
URL = "https://news.example/business/story"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_fixture(name: str, content_type: str | None = "text/html; charset=utf-8", **kwargs) -> ParsedPage:
    return parse_page(fixture(name), url=URL, content_type=content_type, fetched_at=FETCHED, **kwargs)


# --- the body ---------------------------------------------------------------------------------

def test_navigation_cookie_banner_share_buttons_related_and_comments_are_removed():
    page = parse_fixture("article_en.html")
    assert page.reason is None
    for boilerplate in ("Accept all", "We use cookies", "Home", "Share on Social", "Email this story",
                        "Related stories", "wearables market", "First! Great news", "All rights reserved"):
        assert boilerplate not in page.text


def test_paragraphs_are_kept_as_lines_and_the_title_is_not_repeated_in_the_body():
    page = parse_fixture("article_en.html")
    paragraphs = page.text.split("\n")
    assert paragraphs[0].startswith("Lumora Devices and Quellbrook Systems have signed")
    assert paragraphs[-1].startswith("Lumora says it holds more than 16,000 patents")
    assert len([p for p in paragraphs if len(p.split()) > 20]) == 4
    assert "sign patent cross-license" not in page.text


def test_title_canonical_url_and_date_come_from_the_markup():
    page = parse_fixture("article_en.html")
    assert page.title == "Lumora and Quellbrook sign patent cross-license"
    assert page.canonical_url == "https://news.example/2024/03/lumora-quellbrook-cross-license"
    assert page.published == dt.date(2024, 3, 5)
    assert page.language == "en"
    assert page.url == URL


def test_canonical_url_pointing_at_the_home_page_is_ignored():
    tree = load_html('<html><head><link rel="canonical" href="https://news.example/"></head>'
                     "<body><p>x</p><p>y</p></body></html>")
    assert find_canonical_url(tree, URL) == URL


def test_relative_canonical_url_is_made_absolute():
    tree = load_html('<html><head><link rel="canonical" href="/2024/a-story"></head><body><p>x</p><p>y</p></body></html>')
    assert find_canonical_url(tree, URL) == "https://news.example/2024/a-story"


# --- decoding ---------------------------------------------------------------------------------

def test_windows_1252_page_labelled_utf8_keeps_umlauts_and_typographic_quotes():
    page = parse_fixture("german_cp1252_labelled_utf8.html")
    assert page.reason is None
    assert "„Wir sind über die Einigung sehr froh“" in page.text
    assert "Münchner Chipentwickler" in page.text
    assert "\ufffd" not in page.text
    assert page.title == "Größere Lizenzrunde für Mobilfunkpatente"


def test_utf8_page_labelled_latin1_is_read_as_utf8():
    body = '<html><head><meta charset="iso-8859-1"></head><body><p>Größe – „gut“</p></body></html>'.encode()
    assert "Größe – „gut“" in decode_html(body).html


def test_utf8_cyrillic_page_that_kept_an_old_windows_1251_label_is_read_as_utf8():
    body = '<html><head><meta charset="windows-1251"></head><body><p>Патентное соглашение</p></body></html>'.encode()
    assert "Патентное соглашение" in decode_html(body).html


def test_windows_1251_page_with_its_true_label_is_read_as_windows_1251():
    body = '<html><head><meta charset="windows-1251"></head><body><p>Патентное соглашение</p></body></html>'
    assert "Патентное соглашение" in decode_html(body.encode("cp1251")).html


def test_latin1_label_means_windows_1252_so_curly_quotes_survive():
    body = "<html><body><p>\u201eZitat\u201c und \u2019s</p></body></html>".encode("cp1252")
    assert "\u201eZitat\u201c und \u2019s" in decode_html(body, "text/html; charset=ISO-8859-1").html


def test_byte_order_mark_beats_a_wrong_header():
    body = "\ufeff<html><body><p>Grüße</p></body></html>".encode("utf-16-le")
    assert "Grüße" in decode_html(body, "text/html; charset=windows-1252").html


@given(st.text(alphabet=st.sampled_from("aeiouäöüßÄÖÜéèà€„“”–— .,0123456789"), min_size=1, max_size=80))
def test_any_utf8_text_survives_a_latin1_label(text):
    body = f'<html><head><meta charset="latin1"></head><body><p>{text}</p></body></html>'.encode()
    assert f"<p>{text}</p>" in decode_html(body).html


# --- language ---------------------------------------------------------------------------------

def test_german_page_without_lang_attribute_is_german():
    page = parse_fixture("german_no_lang.html")
    assert page.language == "de"
    assert "rund 16.000 Patente angemeldet" in page.text


def test_german_text_outvotes_a_template_that_says_english():
    body = fixture("german_no_lang.html").replace(b"<html>", b'<html lang="en-US">')
    assert parse_page(body, url=URL, fetched_at=FETCHED).language == "de"


def test_language_codes_are_reduced_to_iso_639_1():
    assert normalize_language_code("de-DE") == "de"
    assert normalize_language_code("en_US") == "en"
    assert normalize_language_code("deu") is None
    assert normalize_language_code("") is None


# --- dates ------------------------------------------------------------------------------------

def test_date_found_only_in_json_ld():
    page = parse_page(fixture("jsonld_date.html"), url="https://news.example/ostrel-imaging", fetched_at=FETCHED)
    assert page.reason is None
    assert page.published == dt.date(2023, 11, 14)


def test_date_later_than_the_fetch_is_rejected_but_the_article_kept():
    page = parse_fixture("future_date.html")
    assert page.reason is None
    assert page.published is None
    assert "4,000 patents" in page.text


def test_a_page_dated_tomorrow_in_a_timezone_ahead_of_utc_is_still_plausible():
    late_evening_utc = dt.datetime(2024, 6, 1, 20, 0, tzinfo=dt.UTC)
    assert latest_local_date(late_evening_utc) == dt.date(2024, 6, 2)
    assert latest_local_date(dt.datetime(2024, 6, 1, 8, 0)) == dt.date(2024, 6, 1)


# --- pages without an article -----------------------------------------------------------------

def test_listing_page_is_not_an_article():
    page = parse_fixture("listing.html")
    assert page.reason == "listing_page"
    assert page.text == ""


@pytest.mark.parametrize("body", [b"", b"   \n", b"<html><head><title>x</title></head><body>  </body></html>"])
def test_empty_page_is_recorded_as_empty(body):
    page = parse_page(body, url=URL, fetched_at=FETCHED)
    assert (page.reason, page.text) == ("empty", "")


def test_consent_wall_is_not_an_article():
    page = parse_fixture("consent_wall.html")
    assert page.reason == "consent_wall"


def test_a_short_article_with_a_leaked_cookie_notice_is_still_an_article():
    from patentwire.parse.verdict import is_consent_notice
    story = ("Varenta has licensed its radio patents to two handset makers, the company said on Monday.\n"
             "The agreement covers about 2,500 patents and runs for five years, with an option to extend.\n"
             "Neither side disclosed the royalty rate, but analysts expect it to be modest for both makers.\n")
    banner = "We use cookies with your consent. Accept all or reject all in your privacy settings."
    assert is_consent_notice(banner)
    assert not is_consent_notice(story + banner)


def test_a_stub_of_one_short_sentence_is_too_short():
    body = b"<html><body><main><p>Photo: the new headquarters.</p></main></body></html>"
    assert parse_page(body, url=URL, fetched_at=FETCHED).reason == "too_short"


def test_pdf_and_binary_bodies_are_refused_with_their_reason():
    assert parse_page(b"%PDF-1.7\n...", url=URL).reason == "pdf"
    assert parse_page(b"<html></html>", url=URL, content_type="application/pdf").reason == "pdf"
    assert parse_page(b"\x89PNG\r\n\x1a\n\x00\x00", url=URL, content_type="image/png").reason == "not_html"
    assert parse_page(b"GIF89a\x00\x00\x01", url=URL).reason == "not_html"


# --- the JSON Lines record --------------------------------------------------------------------

def test_record_with_inline_html_gives_the_same_text_as_parse_page():
    html = fixture("article_en.html").decode("utf-8")
    out = parse_record({"id": "a1", "url": URL, "html": html, "fetched_at": FETCHED.isoformat()})
    direct = parse_page(html.encode("utf-8"), url=URL, fetched_at=FETCHED)
    assert list(out) == ["id", "url", "canonical_url", "title", "published", "language", "text", "reason"]
    assert out["text"] == direct.text
    assert out["published"] == "2024-03-05"
    json.dumps(out)  # the CLI writes it as one JSON line


def test_record_with_a_gzipped_path_is_read_from_disk(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(fixture("german_no_lang.html")))
    out = parse_record({"id": 7, "url": URL, "path": str(path)})
    assert out["id"] == 7
    assert out["language"] == "de"
    assert out["reason"] is None


@pytest.mark.parametrize("record, message", [
    ({"url": URL, "html": "<p>x</p>"}, "'id'"),
    ({"id": "a", "html": "<p>x</p>"}, "'url'"),
    ({"id": "a", "url": URL}, "neither 'html'"),
    ({"id": "a", "url": URL, "path": "/nonexistent/page.html"}, "no file at path"),
])
def test_incomplete_record_raises_a_value_error_that_says_what_is_missing(record, message):
    with pytest.raises(ValueError, match=message):
        parse_record(record)


def test_parsing_is_thread_safe_and_deterministic():
    names = sorted(p.name for p in FIXTURES.glob("*.html")) * 3
    sequential = [parse_fixture(name) for name in names]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(parse_fixture, names))
    assert threaded == sequential


def test_parser_version_is_a_named_version():
    assert PARSER_VERSION.startswith("parse-")


# --- line clean-up ----------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Read more: Varenta files new lawsuit over radio patents",
    "Related: The ten biggest patent deals of the year",
    "Lesen Sie auch: Patentstreit geht in die nächste Runde",
    "Mehr zum Thema",
    "You may also like...",
    "Comments",
    "12 Comments",
    "(Reporting by Ada Fenwick; Editing by Tom Hale)",
    "Jane Doe contributed reporting from Berlin.",
    "Like this story? Share it with a friend!",
    "Follow us on Twitter and Facebook for more news.",
    "Copyright 2024 Gadget Ledger. All rights reserved.",
    "© Gadget Ledger 2024",
    "Updated at 1:23 p.m.",
    "Lesezeit: 3 Minuten",
])
def test_boilerplate_lines_are_dropped(line):
    from patentwire.parse.boilerplate import is_boilerplate_line
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "More than 16,000 patents changed hands in the deal, the company said.",
    "Copyright lawyers expect the ruling to be appealed within weeks.",
    "Published figures show the portfolio grew to about 2,500 patents.",
    "Related companies in the group hold another 300 patent families.",
    "Mehr als 16.000 Patente hat das Unternehmen angemeldet.",
    "Comments from the regulator are expected next month.",
])
def test_article_sentences_that_start_like_boilerplate_are_kept(line):
    from patentwire.parse.boilerplate import is_boilerplate_line
    assert not is_boilerplate_line(line)


def test_clean_lines_drops_a_leading_title_and_glued_widgets_but_keeps_paragraphs():
    from patentwire.parse.boilerplate import clean_lines
    text = ("Lumora and Quellbrook sign patent cross-license\n"
            "The two companies signed a cross-license. Click to Tweet\n\n"
            "Read more: An older story\n"
            "Quellbrook also buys 1,200 patents.")
    cleaned = clean_lines(text, ["Lumora and Quellbrook sign patent cross-license | Gadget Ledger"])
    assert cleaned == "The two companies signed a cross-license.\nQuellbrook also buys 1,200 patents."


# --- the readability second opinion -----------------------------------------------------------

_STORY = " ".join(f"Sentence {i} of the story says that patents number {i} were licensed." for i in range(40))


def test_readability_replaces_a_body_it_extends_well_beyond():
    from patentwire.parse.body import prefer_second_opinion
    first_third = _STORY[: len(_STORY) // 3]
    assert prefer_second_opinion(first_third, _STORY)


def test_readability_does_not_replace_a_body_with_some_other_longer_block():
    from patentwire.parse.body import prefer_second_opinion
    other_block = " ".join(f"Teaser {i}: unrelated headline about football and weather." for i in range(80))
    assert not prefer_second_opinion(_STORY[:1500], other_block)


def test_readability_replaces_a_mere_scrap_even_without_overlap():
    from patentwire.parse.body import prefer_second_opinion
    assert prefer_second_opinion("This copy is for your personal use only.", _STORY)
    assert not prefer_second_opinion(_STORY, _STORY[:100])


def test_block_text_puts_each_block_on_its_own_line():
    import lxml.html
    from patentwire.parse.body import block_text
    html = "<div><p>One <b>bold</b> word</p>tail<ul><li>a</li><li>b <i>c</i></li></ul><script>x()</script>end</div>"
    assert block_text(lxml.html.fromstring(html)) == "One bold word\ntail\na\nb c\nend"


@pytest.mark.parametrize("depth", [300, 20_000])
def test_a_page_nested_past_the_parser_limit_is_too_deep_not_empty(depth):
    """libxml2 drops what lies deeper than its limit: the page is recorded as too deep, not as empty."""
    words = "<p>" + "Lumenta and Orbis have signed a patent licence covering cellular standards. " * 10 + "</p>"
    body = f"<html><body>{'<div>' * depth}{words}{'</div>' * depth}</body></html>".encode()
    assert parse_page(body, url="https://example.com/deep").reason == "too_deep"
    shallow = f"<html><body>{'<div>' * 50}{words}{'</div>' * 50}</body></html>".encode()
    assert parse_page(shallow, url="https://example.com/shallow").reason is None
