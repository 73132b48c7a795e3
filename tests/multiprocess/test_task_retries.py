"""Failing tasks are retried by a real RQ worker (a burst worker on the session's redis-server,
retries without waiting), and the final failure is recorded where people see it. The mail server
is a tiny SMTP server in this process that refuses some recipients: we do not own the real one."""

import socketserver
import subprocess
import sys
import threading
from collections import Counter

import pytest
import redis
from django.contrib.auth import get_user_model

from tests.conftest import in_real_transactions
from training.dashboards.models import CertificateExport
from training.people.roster import COLUMNS, roster_import

from .processes import ROOT, Processes

pytestmark = [pytest.mark.slow, pytest.mark.multiprocess, pytest.mark.once, in_real_transactions]
RETRIES = 2
ROSTER = (
    ",".join(COLUMNS) + "\n"
    "R100,Ada Accepted,ada@shop.example,Retry store,,Associate,\n"
    "R101,Ben Busy,ben@shop.example,Retry store,,Associate,\n"
    "R102,Cai Closed,cai@shop.example,Retry store,,Associate,\n"
).encode()


class RefusingSMTP(socketserver.ThreadingTCPServer):
    """Accepts mail for everyone except: ben@ the first time (451), cai@ always (550)."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.tries: Counter = Counter()  # RCPT TO per address
        self.delivered: Counter = Counter()

    def refuses(self, address: str) -> bool:
        return address == "cai@shop.example" or (address == "ben@shop.example" and self.tries[address] == 1)


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        recipients = []
        self.reply("220 test SMTP")
        for raw in self.rfile:
            command = raw.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split("<", 1)[1].split(">", 1)[0]
                self.server.tries[address] += 1
                if self.server.refuses(address):
                    self.reply("451 Mailbox busy, try later")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End with .")
                for line in self.rfile:
                    if line in (b".\r\n", b".\n"):
                        break
                self.server.delivered.update(recipients)
                self.reply("250 Queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")


@pytest.fixture
def smtp():
    server = RefusingSMTP()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_failed_invitations_and_exports_are_retried_by_the_worker_and_the_last_failure_is_recorded(
    redis_url, smtp, tmp_path
):
    redis.Redis.from_url(redis_url).flushdb()
    processes = Processes(
        redis_url=redis_url, private_root=tmp_path / "private", logs=tmp_path / "logs", site_url="http://127.0.0.1",
        extra_env={
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1", "DJANGO_EMAIL_PORT": str(smtp.server_address[1]),
            "TASKS_RETRY_MAX": str(RETRIES), "TASKS_RETRY_INTERVALS": "0",  # retried at once, in one burst
        },
    )
    roster_import(data=ROSTER, invite=False)
    hr = get_user_model().objects.create_user("hr.retry", "hr.retry@academy.example")
    export = CertificateExport.objects.create(requested_by=hr, params={"course": "999999"})  # a course since deleted

    # What the HR pages do, in a process configured for the workers: queue, not send.
    processes.manage("shell", "-c", (
        "from django.contrib.auth.models import User; from training.people.invitations import invitations_enqueue; "
        "from training.dashboards.certificate_export import certificate_export_run; "
        "print(invitations_enqueue(users=User.objects.filter(email__endswith='@shop.example'))); "
        f"certificate_export_run.enqueue('{export.pk}')"
    ))
    assert smtp.tries == Counter()  # nothing sent by the process that queued

    worker = subprocess.run(
        [sys.executable, "manage.py", "rqworker", "default", "--burst", "--job-class", "django_tasks_rq.backend.Job"],
        cwd=ROOT, env=processes.env, capture_output=True, text=True, timeout=240,
    )
    log = worker.stdout + worker.stderr
    assert worker.returncode == 0, log[-3000:]

    # Each person's mail is its own job: Ada's went once, Ben's on its retry (once), Cai's never,
    # after the first try and RETRIES retries; nobody got a second copy.
    assert smtp.delivered == Counter({"ada@shop.example": 1, "ben@shop.example": 1}), log[-3000:]
    assert smtp.tries == Counter({"ada@shop.example": 1, "ben@shop.example": 2, "cai@shop.example": 1 + RETRIES})
    assert log.count("Could not send the invitation to Cai Closed <cai@shop.example>") == 1 + RETRIES
    assert log.count("the worker tries again") == 1 + RETRIES + RETRIES  # Ben once, Cai and the export each RETRIES
    assert "Could not send the invitation to Cai Closed <cai@shop.example> (user" in log and "gave up" in log

    export.refresh_from_db()
    assert export.state == CertificateExport.State.FAILED  # recorded on the final try, for HR's page
    assert "filter is no longer valid" in export.error and export.finished_at is not None
    assert log.count(f"Certificate export {export.pk} failed") == 1 + RETRIES
