"""Which task backend runs where, and the RQ backend's retries (against a real redis-server)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone

from assessments.certificates.services import certificate_render, certificate_render_task, new_code
from assessments.models import Certificate

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'tasks': {k: v['BACKEND'] for k, v in s.TASKS.items()}, "
    "'cache': s.CACHES['default']['BACKEND'], 'storage': s.STORAGES['private']['BACKEND'], "
    "'rq_job_class': getattr(s, 'RQ', {}).get('JOB_CLASS')}))"
)


def configured(**environ):
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "TASKS_", "STORAGE_"))}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "training.settings.dev", **environ}
    done = subprocess.run([sys.executable, "-c", SHOW], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_redis_make_run_needs_no_worker_and_with_it_everything_goes_to_workers():
    assert configured() == {
        "tasks": {"default": "django_tasks.backends.immediate.ImmediateBackend", "background": "training.tasks.ThreadBackend"},
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "storage": "training.private_files.PrivateFileSystemStorage",
        "rq_job_class": None,
    }
    assert configured(REDIS_URL="redis://127.0.0.1:6399/0", STORAGE_BUCKET="academy") == {
        "tasks": {"default": "training.tasks.RetryingRQBackend", "background": "training.tasks.RetryingRQBackend"},
        "cache": "training.redis_cache.RedisCache",
        "storage": "storages.backends.s3.S3Storage",
        # A plain `manage.py rqworker` (the systemd unit's) runs Django tasks: RQ's own Job cannot.
        "rq_job_class": "django_tasks_rq.backend.Job",
    }


ENQUEUE = (
    "import json, django; django.setup(); import django_rq; from rq.job import Job; "
    "from assessments.certificates.services import certificate_render_task as t; r = t.enqueue(12345); "
    "job = Job.fetch(r.id, connection=django_rq.get_connection()); queue = django_rq.get_queue('default'); "
    "print(json.dumps({'retries': job.retries_left, 'intervals': job.retry_intervals, 'func': job.func_name, "
    "'queued': queue.job_ids == [r.id]})); queue.empty()"
)


def test_rq_jobs_are_queued_in_redis_with_their_retries(redis_url):
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "TASKS_", "STORAGE_"))}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "training.settings.dev", "REDIS_URL": redis_url, "TASKS_RETRY_MAX": "4"}
    done = subprocess.run([sys.executable, "-c", ENQUEUE], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "retries": 4, "intervals": [10, 60, 300], "func": "assessments.certificates.services.certificate_render_task",
        "queued": True,  # in Redis for a worker, not run in this process
    }


@pytest.mark.django_db
def test_a_certificate_rendered_twice_keeps_one_file(employee, course):
    certificate = Certificate.objects.create(employee=employee, course=course, code=new_code(), issued_at=timezone.now())
    stale = Certificate.objects.get(pk=certificate.pk)  # a second run that looked before the first stored
    certificate_render(certificate=certificate)
    first = certificate.pdf.name
    storage = certificate.pdf.storage
    folder_before = set(storage.listdir("certificates")[1])
    certificate_render(certificate=stale)
    assert stale.pdf.name == first  # the stored file is kept
    assert set(storage.listdir("certificates")[1]) == folder_before  # and the second run's is deleted
    assert Certificate.objects.get(pk=certificate.pk).render_attempts == 1
    storage.delete(first)
