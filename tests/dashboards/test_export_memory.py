"""A 30,000-row export streams: the server's memory does not grow with the number of rows."""

import tracemalloc
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Attempt
from tests.assessments.conftest import make_quiz, single  # noqa: F401 (make_quiz is a fixture)
from tests.factories import EmployeeFactory

ROWS = 30_000  # enough that holding them all would break the bound below several times over


def attempts_create(quiz, employees, per_employee):
    start = timezone.now() - timedelta(days=30)
    batch = []
    for employee in employees:
        for number in range(1, per_employee + 1):
            batch.append(Attempt(
                employee=employee, quiz=quiz, number=number, questions=[], state=Attempt.State.SUBMITTED,
                started_at=start + timedelta(seconds=number), submitted_at=start + timedelta(seconds=number + 60),
                score=1, max_score=1, percentage=100, passed=True,
            ))
            if len(batch) == 5000:
                Attempt.objects.bulk_create(batch)
                batch.clear()
    Attempt.objects.bulk_create(batch)


def peaks_while_streaming(client, params) -> tuple[int, int, int]:
    """Peak Python memory (bytes) while the first tenth of the download is read, peak while the
    rest is read, and the download's size."""
    response = client.get("/admin/reports/attempts/", params)
    chunks = iter(response.streaming_content)
    tracemalloc.start()
    try:
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > 300_000:
                break
        early_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        size += sum(len(chunk) for chunk in chunks)
        return early_peak, tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


@pytest.mark.slow
@pytest.mark.django_db
def test_a_thirty_thousand_row_export_keeps_memory_flat(client, make_quiz):
    quiz = make_quiz([single()])
    attempts_create(quiz, EmployeeFactory.create_batch(10), ROWS // 10)
    client.force_login(get_user_model().objects.get(username="hr"))
    for export_format in ("csv", "xlsx"):
        early_peak, later_peak, size = peaks_while_streaming(client, {"export": export_format, "quiz": quiz.pk})
        assert size > 900_000  # all 30,000 rows went out (the XLSX is compressed)
        # Reading the other nine tenths needs no more memory than the start did; holding all the
        # rows at once would take well over 30 MB.
        assert later_peak < 1.5 * early_peak + 500_000, (export_format, early_peak, later_peak)
        assert later_peak < 10_000_000, (export_format, later_peak, size)
