"""The production path as processes: two gunicorn instances and RQ workers sharing one database
(the test database: PostgreSQL on the PostgreSQL pass, a SQLite file otherwise), one redis-server
and one private folder. Requests are real HTTP; the test reads the database to check the results."""

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
import requests
from django.urls import reverse
from pypdf import PdfReader

from assessments import scoring
from assessments.certificates.services import new_code
from assessments.models import Attempt, Certificate
from modules.models import CoursePage, LessonPage, QuizPage
from modules.services import lesson_complete
from tests.assessments.conftest import pass_quiz
from tests.conftest import in_real_transactions
from training.demo_activity import full_marks_response
from training.people.hashers import Argon2idHasher
from training.people.models import Employee

from .processes import Processes

pytestmark = [pytest.mark.slow, pytest.mark.multiprocess, pytest.mark.once, in_real_transactions]
PASSWORD = "multi-process-test-password"


def wait_for(condition, *, seconds: float, what: str, processes: Processes):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}.\n{processes.log_tail()}")
        time.sleep(0.25)
    return value


def rendered_by(redis_url: str, certificate) -> list[str]:
    """Names of the RQ workers that finished a render job for this certificate."""
    import redis
    from rq.job import Job
    from rq.registry import FinishedJobRegistry

    connection = redis.Redis.from_url(redis_url)
    jobs = [Job.fetch(job_id, connection=connection) for job_id in FinishedJobRegistry("default", connection=connection).get_job_ids()]
    return [job.latest_result().worker_name for job in jobs
            if job.func_name == "assessments.certificates.services.certificate_render_task" and list(job.args) == [certificate.pk]]


def form_fields(question: dict, answer) -> dict:
    """One question's full-marks answer as the attempt form's fields (assessments/attempts/forms.py)."""
    name, kind = f"q-{question['tokens']['question']}", question["kind"]
    if kind == "ordering":
        return {f"{name}-{item}": str(position) for position, item in enumerate(answer, 1)}
    if kind == "matching":
        return {f"{name}-{prompt}": chosen for prompt, chosen in answer.items()}
    if kind == "true_false":
        return {name: "true" if answer else "false"}
    return {name: answer if isinstance(answer, list) else str(answer)}


def production_password(username: str) -> None:
    """The test settings hash with MD5, which production refuses: store an Argon2id hash."""
    from django.contrib.auth import get_user_model

    hasher = Argon2idHasher()
    get_user_model().objects.filter(username=username).update(password=hasher.encode(PASSWORD, hasher.salt()))


class Browser:
    """A requests session that signs in and sends Django's CSRF token like the pages do."""

    def __init__(self):
        self.session = requests.Session()

    def csrf(self) -> str:
        return self.session.cookies["csrftoken"]

    def log_in(self, base: str, username: str) -> None:
        self.session.get(f"{base}/accounts/login/", timeout=30)
        response = self.session.post(
            f"{base}/accounts/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
            timeout=30, allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:2000]

    def post(self, url: str, data=None, **kwargs):
        return self.session.post(url, data={**(data or {}), "csrfmiddlewaretoken": self.csrf()}, timeout=60,
                                 allow_redirects=False, **kwargs)


@pytest.fixture
def processes(academy, redis_url, tmp_path):
    started = Processes(redis_url=redis_url, private_root=tmp_path / "private", logs=tmp_path / "logs", site_url="http://127.0.0.1")
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # the session's redis-server: no counts or jobs from another test
    yield started
    started.stop_all()
    assert not started.other_sessions(), "a process the test started is still connected to the database"


def test_two_instances_one_worker_pass_certify_verify_and_export(processes, tmp_path):
    employee = Employee.objects.select_related("user").get(user__username="amira")
    final = QuizPage.objects.get(slug="quiz-loyalty-is-not-satisfaction")
    for lesson in LessonPage.objects.live():
        lesson_complete(employee=employee, lesson=lesson)
    for quiz in QuizPage.objects.live().exclude(pk=final.pk):
        pass_quiz(employee, quiz)
    production_password("amira")
    production_password("hr")

    servers = [processes.gunicorn("web-a"), processes.gunicorn("web-b")]
    processes.worker("worker")
    server = lambda n: servers[n % 2]  # noqa: E731  request n goes to instance n mod 2

    # An employee passes the final assessment, each request to the other instance.
    amira = Browser()
    amira.log_in(server(0), "amira")
    started = amira.post(server(1) + reverse("quiz_start", args=[final.pk]))
    assert started.status_code == 302, started.text[:2000]
    attempt = Attempt.objects.get(employee=employee, quiz=final, state="in_progress")
    assert started.headers["Location"].endswith(reverse("attempt_take", args=[attempt.pk]))
    assert amira.session.get(server(2) + reverse("attempt_take", args=[attempt.pk]), timeout=30).status_code == 200
    form = {"action": "submit"}
    for n, question in enumerate(attempt.questions, start=3):
        answer = scoring.response_to_public(scoring.question_from_data(question), question["tokens"], full_marks_response(question))
        form.update(form_fields(question, answer))  # what the page's form holds when it is submitted
        saved = amira.session.post(
            server(n) + reverse("attempt_autosave", args=[attempt.pk]), json={"answers": {question["tokens"]["question"]: answer}},
            headers={"X-CSRFToken": amira.csrf()}, timeout=30,
        )
        assert saved.status_code == 200 and saved.json()["saved"] == [question["tokens"]["question"]], saved.text
    submitted = amira.post(server(n + 1) + reverse("attempt_take", args=[attempt.pk]), form)
    assert submitted.status_code == 302, submitted.text[:2000]
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.passed

    # The certificate is issued by the submit and rendered by the worker, once.
    certificate = Certificate.objects.get(employee=employee)
    wait_for(lambda: Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists(), seconds=60,
             what="the worker to render the certificate", processes=processes)
    certificate.refresh_from_db()
    assert certificate.render_attempts == 1
    assert rendered_by(processes.env["REDIS_URL"], certificate) == ["worker"]  # the worker, not the submit's request
    stored = list((tmp_path / "private" / "certificates").iterdir())
    assert [path.name for path in stored] == [Path(certificate.pdf.name).name]

    # Downloadable through both instances, the same file.
    downloads = [amira.session.get(base + reverse("certificate_download", args=[certificate.code]), timeout=30) for base in servers]
    assert [d.status_code for d in downloads] == [200, 200]
    assert downloads[0].content == downloads[1].content == stored[0].read_bytes()
    assert "Amira" in PdfReader(io.BytesIO(downloads[0].content)).pages[0].extract_text()

    # The verify page's limit (6 a minute here) is counted across both instances. The eight
    # requests must fall in one minute's window; on a slow machine they may not, and then they
    # are sent again at the start of a fresh window.
    anonymous = requests.Session()
    for _ in range(2):
        if time.time() % 60 > 45:
            time.sleep(61 - time.time() % 60)
        window = time.time() // 60
        codes = [anonymous.get(server(n) + reverse("certificate_verify", args=[certificate.code]), timeout=30).status_code
                 for n in range(8)]
        if time.time() // 60 == window:
            break
        time.sleep(61 - time.time() % 60)
    assert codes == [200] * 6 + [429, 429]

    # A bulk ZIP is built by the worker, followed and downloaded through the other instance.
    hr = Browser()
    hr.log_in(server(0), "hr")
    course = CoursePage.objects.get(slug="customer-loyalty-fundamentals")
    begun = hr.post(server(0) + reverse("certificate_export_start"), {"course": course.pk, "status": "", "issued_from": "", "issued_to": ""})
    assert begun.status_code == 302, begun.text[:2000]
    export_id = re.search(r"/([0-9a-f-]{36})/", begun.headers["Location"]).group(1)
    status_url = server(1) + reverse("certificate_export_status", args=[export_id])
    status = wait_for(lambda: (s := hr.session.get(status_url, timeout=30).json())["state"] in ("done", "failed") and s,
                      seconds=60, what="the worker to build the ZIP", processes=processes)
    assert status["state"] == "done", status
    zipped = hr.session.get(server(1) + status["download_url"], timeout=30)
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
        assert len(pdfs) == 1 and archive.read(pdfs[0]) == stored[0].read_bytes()
    certificate.refresh_from_db()
    assert certificate.render_attempts == 1  # the export read the stored file; nothing rendered again


def test_a_worker_killed_while_storing_a_pdf_leaves_no_broken_file_and_another_renders_it(processes, tmp_path):
    employee = Employee.objects.get(user__username="amira")
    course = CoursePage.objects.get(slug="customer-loyalty-fundamentals")
    from django.utils import timezone

    certificate = Certificate.objects.create(employee=employee, course=course, code=new_code(), issued_at=timezone.now())
    marker = tmp_path / "half-written"
    slow = processes.worker("worker-slow", env={"ACADEMY_TEST_SLOW_PRIVATE_WRITES": str(marker)})
    processes.manage("render_pending_certificates", "--older-than", "0")
    wait_for(marker.exists, seconds=60, what="the worker to start writing the PDF", processes=processes)
    horse_pid, half_name = marker.read_text().split()
    processes.kill(slow, int(horse_pid))  # worker and work horse, mid-write

    half = tmp_path / "private" / half_name
    assert half.read_bytes().startswith(b"%PDF") and b"%%EOF" not in half.read_bytes()  # really cut off half way
    certificate.refresh_from_db()
    assert not certificate.pdf and certificate.render_attempts == 0  # the row never pointed at the half file

    processes.worker("worker-2")
    processes.manage("render_pending_certificates", "--older-than", "0")
    wait_for(lambda: Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists(), seconds=60,
             what="the second worker to render the certificate", processes=processes)
    certificate.refresh_from_db()
    assert certificate.pdf.name != half_name and certificate.render_attempts == 1
    pdf = (tmp_path / "private" / certificate.pdf.name).read_bytes()
    assert pdf.rstrip().endswith(b"%%EOF")
    assert "Amira" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
