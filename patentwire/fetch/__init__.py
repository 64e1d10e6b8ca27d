"""Polite, incremental, fault-tolerant fetching of pages and discovery documents."""

from patentwire.fetch.client import HttpClient
from patentwire.fetch.log import FETCH_LOG_COLUMNS, PAGE_STATE_COLUMNS, Attempt, attempts_frame
from patentwire.fetch.pages import fetch_pages
from patentwire.fetch.response import Fetched
from patentwire.fetch.store import PageStore

__all__ = ["FETCH_LOG_COLUMNS", "PAGE_STATE_COLUMNS", "Attempt", "Fetched", "HttpClient", "PageStore",
           "attempts_frame", "fetch_pages"]
