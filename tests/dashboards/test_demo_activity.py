"""`load_academy --demo-activity`: the made-up year of learning `make run` shows."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Attempt, Certificate
from training.enrollment.selectors import overdue_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # certificates render when the load commits
        call_command("load_academy", "--demo-activity", stdout=out)
    return out.getvalue()


def test_demo_activity_fills_the_grid_reports_and_certificates_once(demo, client, course):
    assert "Demo activity: 41 lessons done," in demo and "4 certificates, 6 assignments" in demo
    certificates = {c.employee.user.username: c for c in Certificate.objects.select_related("employee__user")}
    assert {name: c.status() for name, c in certificates.items()} == {
        "amira": "valid", "emma": "valid", "felix": "revoked", "grace": "expired"
    }
    assert timezone.now() < certificates["emma"].expires_at < timezone.now() + timedelta(days=30)  # expiring soon
    text = PdfReader(certificates["emma"].pdf.open("rb")).pages[0].extract_text()
    assert f"Issued {certificates['emma'].issued_at:%-d %B %Y}" in text and "Emma Lindqvist" in text
    assert sorted(a.employee.user.username for a in overdue_assignments()) == ["chloe", "hugo"]
    chloe_final = Attempt.objects.get(employee__user__username="chloe", quiz__title="Final assessment")
    assert chloe_final.passed is False
    client.force_login(get_user_model().objects.get(username="manager.north"))
    grid = client.get(reverse("team")).content.decode()
    assert f"{course.title}: 1 not started, 1 in progress, 1 overdue, 2 completed" in grid

    counts = Attempt.objects.count(), Certificate.objects.count()
    again = StringIO()
    call_command("load_academy", "--demo-activity", stdout=again)
    assert "the demo people already have some; nothing added" in again.getvalue()
    assert (Attempt.objects.count(), Certificate.objects.count()) == counts
