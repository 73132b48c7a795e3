"""Django Tasks backends: a thread of the web process for `make run`, RQ workers with retries for
production.

ThreadBackend: long work that a page follows (the bulk certificate ZIP) must not run inside the
request that starts it, or the page could show no progress. It returns at once and runs the task in
a daemon thread, so `make run` needs no worker process. It suits one server process only: a restart
loses the work.

RetryingRQBackend: django-tasks-rq's backend (jobs in Redis, run by `manage.py rqworker`), with
RQ's retries, which the Django Tasks API has no word for. A job that raises, or whose worker dies
mid-job, is run again up to OPTIONS["RETRY_MAX"] times, waiting OPTIONS["RETRY_INTERVALS"]
seconds between tries (the worker runs with `--with-scheduler` to move waiting retries back onto
the queue). Tasks must therefore be idempotent: a retry may follow a run that got half way.

A task that fails raises (so RQ retries it) and records the failure where people see it only when
`retry_follows()` is False: the final try on RQ, the only one on the immediate and thread backends.
"""

import functools
import threading

from django.db import connections
from django_tasks.backends.immediate import ImmediateBackend


class ThreadBackend(ImmediateBackend):
    def _execute_task(self, task_result) -> None:
        threading.Thread(target=self._execute_in_thread, args=(task_result,), daemon=True).start()

    def _execute_in_thread(self, task_result) -> None:
        try:
            super()._execute_task(task_result)
        finally:
            connections.close_all()


def tasks_run_where_enqueued() -> bool:
    """Whether the default backend runs a task in the process that enqueues it (no worker, no
    Redis: `make run`) rather than on a worker."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def retry_follows() -> bool:
    """True while running inside an RQ job that RQ will run again if it raises now (tries are
    left); False on the last try, outside RQ, and on the immediate and thread backends."""
    from rq import get_current_job

    job = get_current_job()
    return bool(job is not None and job.retries_left)


def send_failure_log(logger, what: str, user, *, about: str = "", then: str = "") -> None:
    """Log a queued email's failure with the person it was for: a warning while a worker will try
    again (`retry_follows`), an error on the final try (`then` says what a person can do)."""
    whom = f"{user.get_full_name()} <{user.email}> (user {user.pk})"
    if retry_follows():
        logger.warning("Could not send the %s%s to %s; the worker tries again", what, about, whom, exc_info=True)
    else:
        logger.error("Could not send the %s%s to %s; gave up%s", what, about, whom, then, exc_info=True)


@functools.cache
def _rq_backend_class():
    # Imported only when configured: django-rq needs its settings (RQ_QUEUES) to import cleanly.
    import django_rq
    from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
    from django_tasks.signals import task_enqueued
    from django_tasks.utils import get_random_id
    from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
    from rq.job import Callback, JobStatus, Retry

    class RetryingRQBackend(RQBackend):
        def retry(self) -> Retry:
            return Retry(max=self.options.get("RETRY_MAX", 3), interval=self.options.get("RETRY_INTERVALS", [10, 60, 300]))

        def enqueue(self, task, args, kwargs):
            # RQBackend.enqueue (django-tasks-rq 0.12.0) with `retry=` passed to the job.
            self.validate_task(task)
            task_result = TaskResult(
                task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=None, started_at=None,
                last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs, backend=self.alias,
                errors=[], worker_ids=[],
            )
            queue = django_rq.get_queue(task.queue_name, job_class=Job)
            job = queue.create_job(
                task.module_path, args=args, kwargs=kwargs, job_id=task_result.id,
                status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
                on_failure=Callback(failed_callback), on_success=Callback(success_callback),
                meta={"backend_name": self.alias}, retry=self.retry(),
            )
            if task.run_after is None:
                job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
            else:
                job = queue.schedule_job(job, task.run_after)
            object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
            task_enqueued.send(type(self), task_result=task_result)
            return task_result

    return RetryingRQBackend


def __getattr__(name):
    # `training.tasks.RetryingRQBackend` in settings.TASKS, without importing RQ for `make run`.
    if name == "RetryingRQBackend":
        return _rq_backend_class()
    raise AttributeError(name)
