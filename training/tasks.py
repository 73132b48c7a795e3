"""A Django Tasks backend that runs each task in a thread of the web process.

Long work that a page follows (the bulk certificate ZIP) must not run inside the request that
starts it, or the page could show no progress. This backend returns at once and runs the task in a
daemon thread, so `make run` needs no worker process. It suits one server process; with several,
set TASKS_BACKGROUND_BACKEND to a worker-backed backend (e.g. django-tasks-db) and run its worker.
"""

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
