"""The celery app of a team deployment's workers: `celery -A pipelines.celery_app worker -Q dagster`.

dagster-celery's own app reads its broker from a module on the path; this one takes the same settings
as the executor ($PATENTWIRE_CELERY_BROKER, $PATENTWIRE_CELERY_BACKEND), so workers and runs cannot
disagree. Workers run each step in process with the step's own process pool for parse and extract, so
start them with `-P solo` (one step per worker process; a prefork child may not start processes).
"""

from __future__ import annotations

import os

from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_execute_job_task, create_resume_job_task, create_task

from pipelines.definitions import CELERY_BACKEND_ENV, CELERY_BROKER_ENV

app = make_app({"broker": os.environ[CELERY_BROKER_ENV], "backend": os.environ[CELERY_BACKEND_ENV]})
app.conf.worker_prefetch_multiplier = 1  # a long step must not hold back the next one
execute_plan = create_task(app)
execute_job = create_execute_job_task(app)
resume_job = create_resume_job_task(app)
