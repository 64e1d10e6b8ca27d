"""What runs without a click: the daily crawl schedule, the inbox sensor, the automation condition sensor."""

import dagster as dg

from assets.resources import PatentwireConfig
from patentwire.inbox import inbox_fingerprint, inbox_pages

DAILY_CRAWL_CRON = "0 6 * * *"  # 06:00 UTC, after most newsrooms' overnight releases
INBOX_POLL_SECONDS = 30
TRIGGER_TAG = "patentwire/trigger"


def daily_crawl(job: dg.JobDefinition) -> dg.ScheduleDefinition:
    """The whole pipeline once a day; off until turned on (UI toggle or `dagster schedule start daily_crawl`)."""

    @dg.schedule(name="daily_crawl", job=job, cron_schedule=DAILY_CRAWL_CRON, execution_timezone="UTC",
                 default_status=dg.DefaultScheduleStatus.STOPPED,
                 description="Crawl every source, then parse, extract, load, model and export. Off by default.")
    def _daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        day = context.scheduled_execution_time.strftime("%Y-%m-%d")
        # One run per scheduled day, even if the daemon evaluates the tick twice.
        return dg.RunRequest(run_key=f"daily-{day}", tags={TRIGGER_TAG: "schedule", "patentwire/day": day})

    return _daily


def inbox_sensor(job: dg.JobDefinition) -> dg.SensorDefinition:
    """A run of the main job whenever the set of pages in HOME/inbox/ changes."""

    @dg.sensor(name="inbox", job=job, minimum_interval_seconds=INBOX_POLL_SECONDS,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Saved pages (.html, .html.gz) dropped into HOME/inbox/ are read as the archive "
                           "source `inbox` by a run of the main job.")
    def _inbox(context: dg.SensorEvaluationContext, patentwire: PatentwireConfig) -> dg.SensorResult | dg.SkipReason:
        folder = patentwire.paths.inbox
        fingerprint = inbox_fingerprint(folder)
        if not fingerprint:
            return dg.SkipReason(f"{folder} holds no saved pages; drop .html or .html.gz files there.")
        if fingerprint == context.cursor:
            return dg.SkipReason(f"no change in {folder} since the last run request.")
        pages = len(inbox_pages(folder))
        # run_key: the same set of files never triggers twice, even if the cursor is reset.
        request = dg.RunRequest(run_key=f"inbox-{fingerprint}",
                                tags={TRIGGER_TAG: "inbox", "patentwire/inbox_pages": str(pages)})
        return dg.SensorResult(run_requests=[request], cursor=fingerprint)

    return _inbox


def follow_new_data() -> dg.AutomationConditionSensorDefinition:
    """Evaluates the eager conditions of parse .. export, so they follow new pages without a click."""
    return dg.AutomationConditionSensorDefinition(
        "follow_new_data", target=dg.AssetSelection.all(), default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=INBOX_POLL_SECONDS,
        description="Materializes assets whose automation condition (eager: an upstream asset changed) is met.")
