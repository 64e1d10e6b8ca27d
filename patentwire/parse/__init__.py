"""The parse stage: fetched page bytes to article text, title, date, language and canonical URL."""

from patentwire.parse.page import PARSER_VERSION, ParsedPage, parse_page, parse_record

__all__ = ["PARSER_VERSION", "ParsedPage", "parse_page", "parse_record"]
