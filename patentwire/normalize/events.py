"""Which deal mentions are the same event: same companies, compatible kind of deal, close in time.

Mentions of one company set are split by type family first: a lawsuit and the settlement that
ends it are two events even when reported the same week. Within a family, mentions are placed
finest date first and earliest first; each joins the existing event whose first date is nearest
and within the window, else it starts a new event. Anchoring on the first date (not the latest
member) stops a steady stream of follow-up reports from chaining into one endless event, and
placing day-precise mentions before month/year ones means a vague "in 2017" joins the event it
fits instead of founding one that swallows every deal of that year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from patentwire.normalize.dates import DateSpan
from patentwire.vocab import STATUS_RANK, DealType

DISPUTE, AGREEMENT = "dispute", "agreement"
# best first: an event is as certain as its most certain report
DEFAULT_WINDOW_DAYS = 45


def type_family(deal_types: Iterable[str]) -> str:
    """'dispute' for a lawsuit (even one about a licence) unless it is settled; else 'agreement'.

    "Ericsson sued Lenovo after licence talks failed" reads as litigation + license and belongs to
    the lawsuit; "they settled and signed a licence" belongs to the agreement that ended it.
    """
    types = set(deal_types)
    if DealType.LITIGATION in types and DealType.SETTLEMENT not in types:
        return DISPUTE
    return AGREEMENT


def status_rank(status: str) -> int:
    return STATUS_RANK.get(status, len(STATUS_RANK))


@dataclass
class _Event:
    first: DateSpan | None
    members: list[str] = field(default_factory=list)


def cluster_mentions(spans: Iterable[tuple[str, DateSpan | None]], window_days: int) -> dict[str, DateSpan | None]:
    """Map each mention id to its event's first date; mentions sharing a first date are one event.

    `spans` are (mention_id, the mention's date span or None when undated) of ONE company set and
    type family. Undated mentions join the only event there is, or form one undated event.
    """
    items = list(spans)
    dated = sorted(((m, s) for m, s in items if s is not None), key=lambda item: (item[1].rank, item[1].start, item[0]))
    events: list[_Event] = []
    for mention_id, span in dated:
        nearest = min(((span.gap_days(event.first), number) for number, event in enumerate(events)
                       if span.gap_days(event.first) <= window_days), default=None)
        if nearest is None:
            events.append(_Event(span, [mention_id]))
        else:
            events[nearest[1]].members.append(mention_id)
    undated = sorted(m for m, s in items if s is None)
    if undated:
        if len(events) == 1:
            events[0].members.extend(undated)
        else:
            events.append(_Event(None, undated))
    return {mention_id: event.first for event in events for mention_id in event.members}
