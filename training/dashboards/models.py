import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from training.private_files import private_storage, random_name


def export_zip_name(instance, filename) -> str:
    """A random name in private storage, unrelated to the export's id in URLs."""
    return random_name("exports", ".zip")


class CertificateExport(models.Model):
    """One bulk certificate ZIP that HR asked for: the filter it was asked with, how far the
    task has got, and the finished file. The random UUID is its only handle in URLs."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict, blank=True, help_text="The certificate report's filter values, as given.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0, help_text="Certificates whose PDF could not be rendered.")
    # Written by the task, never uploaded; private, served only to whoever asked for it.
    file = models.FileField(upload_to=export_zip_name, storage=private_storage, blank=True, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Certificate export {self.pk} ({self.state})"
