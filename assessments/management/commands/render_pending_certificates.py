"""Timer entry point, e.g. every 10 minutes: `python manage.py render_pending_certificates`.
Queues a render for certificates still without a PDF some minutes after issue (a lost or
abandoned job); the workers render them. Safe to repeat: a certificate keeps one file."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from assessments.certificates.services import certificates_render_enqueue_pending


class Command(BaseCommand):
    help = "Queue a render for every certificate still without a PDF some minutes after it was issued."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=10, metavar="MINUTES",
                            help="Only certificates issued at least this many minutes ago (default 10).")

    def handle(self, *args, older_than=10, **options):
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more minutes.")
        queued = certificates_render_enqueue_pending(older_than=timedelta(minutes=older_than))
        self.stdout.write(f"Queued {queued} certificate render(s).")
