"""`manage.py loadtest` end to end at its smallest: gunicorn with the production settings on this
test database, three employees starting the final assessment at once, three sign-ins at once.
The command checks the database itself and raises when anything failed; here we also read it."""

import http.client
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assessments.models import Attempt, Certificate
from modules.models import QuizPage
from tests.conftest import in_real_transactions
from training.loadtest.server import Gunicorn, RedisServer
from training.loadtest.setup import PREFIX


@pytest.mark.slow
@pytest.mark.once  # the client and the checks; the database is exercised by every other test
@in_real_transactions
def test_three_employees_take_the_final_assessment_through_gunicorn(academy):
    out = io.StringIO()
    call_command("loadtest", users=3, logins=3, think="0", workers=2, wrong=0.0, stdout=out)
    figures = out.getvalue()
    assert "| autosave | 45 | 0 |" in figures  # 15 questions each, one autosave per answer, no error
    assert "checks: 3 attempts for 3 employees, 45 saved answers all stored, 3 passed, 3 certificates" in figures
    # gunicorn (deploy/gunicorn.conf.py) keeps the client's connections open between requests.
    requests, connections = map(int, re.search(r"(\d+) quiz requests in \d+ s over (\d+) connections", figures).groups())
    assert requests == 3 * 48 and connections <= 3 * 2  # 48 requests each; at most 3 at a time
    final = QuizPage.objects.get(slug="final-assessment")
    attempts = Attempt.objects.filter(employee__user__username__startswith=PREFIX, quiz=final)
    assert sorted(a.percentage for a in attempts) == [100, 100, 100]
    assert Certificate.objects.filter(employee__user__username__startswith=PREFIX).count() == 3


@pytest.mark.slow
@pytest.mark.once
@in_real_transactions
def test_a_post_refused_unread_leaves_its_kept_connection_usable(academy, tmp_path):
    """A CSRF failure answers before the body is read. gunicorn would read 64 KB of the rest, then
    close the connection its answer said stays open, and the next request on it (nginx's) fails."""
    redis = RedisServer()
    server = Gunicorn(db=connection.settings_dict, redis_url=redis.url, workers=1, threads=2, log=tmp_path / "gunicorn.log")
    try:
        server.wait_ready()
        kept = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)  # one connection, as nginx keeps it
        kept.request("POST", "/learning/attempts/1/answers/", body=b"a" * 2_000_000, headers={"Content-Type": "application/json"})
        refused = kept.getresponse()
        refused.read()
        assert refused.status == 403 and refused.getheader("Connection") == "keep-alive"
        kept.request("GET", "/accounts/login/")
        assert kept.getresponse().status == 200
        kept.close()
    finally:
        server.stop()
        redis.stop()


@in_real_transactions
def test_it_refuses_a_database_that_has_attempts(academy, employee):
    from assessments.attempts.services import attempt_start

    attempt_start(employee=employee, quiz=QuizPage.objects.get(slug="final-assessment"))
    with pytest.raises(CommandError, match="empty database"):
        call_command("loadtest", users=1, logins=0, think="0", stdout=io.StringIO())
