import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.certificates.services import new_code
from assessments.models import Certificate
from training.people.models import Employee

FIXTURES = Path("/work/shared/fixtures")
if not FIXTURES.exists():  # the fixtures sit next to the repository's checkout
    FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
SCHEMA = json.loads((FIXTURES / "openbadges" / "ob_v3p0_achievementcredential_schema.json").read_text())


def make_certificate(employee, course, *, score=Decimal("92.50"), months=12, issued=None) -> Certificate:
    issued = issued or timezone.now() - timedelta(days=1)
    return Certificate.objects.create(
        employee=employee,
        course=course,
        code=new_code(),
        issued_at=issued,
        expires_at=issued + timedelta(days=30 * months) if months else None,
        score=score,
    )


def employee_named(first: str, last: str, email: str) -> Employee:
    user = get_user_model().objects.create_user(username=email.split("@")[0], email=email, first_name=first, last_name=last)
    return Employee.objects.create(user=user, employee_number=f"E-{user.username}")


def badge_image(title="Loyalty badge"):
    """A real 600 x 600 PNG in Wagtail's image library."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    buffer = BytesIO()
    Image.new("RGB", (600, 600), "#0a6e6e").save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="badge.png"))
