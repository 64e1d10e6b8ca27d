"""Charts attached to SQL model materializations, where a picture says more than the preview table.

PNG images drawn with matplotlib's Agg backend (no display needed), embedded in markdown metadata
as base64 data URLs, so the Dagster UI shows them on the asset's materialization.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import duckdb
import pandas as pd

from patentwire.warehouse.versions import versions

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _pyplot():
    """pyplot on the Agg backend (the webserver and run workers have no display), imported when a chart is
    drawn: most steps draw none, and the import costs every process a quarter of a second."""
    import matplotlib

    matplotlib.use("Agg")  # before pyplot
    import matplotlib.pyplot as plt

    return plt


TOP_COMPANIES = 6
_SIZE_INCHES = (8, 4)
_DPI = 90  # a ~700 px wide image stays small in the event log


def portfolio_trend_frame(con: duckdb.DuckDBPyConnection, top: int = TOP_COMPANIES) -> pd.DataFrame:
    """Stated sizes over time of the largest portfolios, one series per company and unit.

    Units are not mixed into one line: 5,000 granted patents and 9,000 applications are different counts.
    """
    return con.execute("""
        with series as (
            select company, unit, arg_max(value, statement_date) as latest_value
            from portfolio_trend where statement_date is not null
            group by company, unit
        ),
        top as (select company, unit from series order by latest_value desc, company, unit limit ?)
        select company || ' (' || replace(unit, '_', ' ') || ')' as series, statement_date, value
        from portfolio_trend join top using (company, unit)
        where statement_date is not null
        order by series, statement_date
    """, [top]).df()


def deal_activity_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Deals per month (rows) and deal type (columns), months without deals left out."""
    monthly = con.execute("select deal_month, deal_type, deals from deal_activity_monthly order by deal_month").df()
    if monthly.empty:
        return monthly
    table = monthly.pivot_table(index="deal_month", columns="deal_type", values="deals", aggfunc="sum", fill_value=0)
    table.index = pd.to_datetime(table.index).strftime("%Y-%m")
    return table


def draw_portfolio_trend(frame: pd.DataFrame) -> Figure:
    figure, axes = _pyplot().subplots(figsize=_SIZE_INCHES)
    for series, rows in frame.groupby("series", sort=True):
        axes.plot(pd.to_datetime(rows["statement_date"]), rows["value"], marker="o", label=series)
    axes.set_title(f"Stated portfolio sizes, the {frame['series'].nunique()} largest")
    axes.set_ylabel("stated size")
    axes.yaxis.set_major_formatter("{x:,.0f}")  # a format string becomes a StrMethodFormatter
    axes.legend(fontsize="small", loc="best")
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    return figure


def draw_deal_activity(table: pd.DataFrame) -> Figure:
    figure, axes = _pyplot().subplots(figsize=_SIZE_INCHES)
    table.plot(kind="bar", stacked=True, ax=axes, width=0.8)
    axes.set_title("Announced deals per month, by deal type")
    axes.set_xlabel("")
    axes.set_ylabel("deals")
    axes.legend(fontsize="small", loc="best")
    figure.autofmt_xdate()
    return figure


def png_markdown(figure: Figure, alt: str) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, bbox_inches="tight")
    _pyplot().close(figure)  # pyplot keeps every open figure alive otherwise
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"![{alt}](data:image/png;base64,{encoded})"


def _chart(frame: pd.DataFrame, draw: Callable[[pd.DataFrame], Figure], alt: str) -> str:
    if frame.empty:
        return "_(no data to plot yet)_"
    return png_markdown(draw(frame), alt)


CHARTS: dict[str, Callable[[duckdb.DuckDBPyConnection], str]] = {
    "portfolio_trend": lambda con: _chart(portfolio_trend_frame(con), draw_portfolio_trend, "portfolio trend"),
    "deal_activity_monthly": lambda con: _chart(deal_activity_frame(con), draw_deal_activity, "deals per month"),
}
# charts drawn by an older version of this file are drawn again
_CODE_STAMP = f"{Path(__file__).stat().st_size:x}{Path(__file__).stat().st_mtime_ns:x}"


def chart_metadata(con: duckdb.DuckDBPyConnection, model: str, cache: Path | None = None,
                   ) -> dict[str, dg.MetadataValue]:
    """`{"chart": …}` for models that have one, else nothing.

    With a `cache` folder, a chart is drawn once per version of its table: a run that left the table as
    it was reuses the drawing (matplotlib costs more than the rest of an unchanged model's step)."""
    draw = CHARTS.get(model)
    if draw is None:
        return {}
    if cache is None:
        return {"chart": dg.MetadataValue.md(draw(con))}
    path = cache / f"{model}-v{versions(con).get(model, 0)}-{_CODE_STAMP}.md"
    if path.exists():
        return {"chart": dg.MetadataValue.md(path.read_text("utf-8"))}
    markdown = draw(con)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob(f"{model}-v*.md"):
        old.unlink(missing_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(markdown, "utf-8")
    partial.replace(path)  # a crashed run leaves no half-written chart to reuse
    return {"chart": dg.MetadataValue.md(markdown)}
