"""Cron entry point, e.g. hourly: `python manage.py send_reminders`. Running it again sends nothing
new: every automatic email is recorded once per assignment and kind."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from training.enrollment.models import ReminderSent
from training.enrollment.services import RECERTIFY_AHEAD_DAYS, recertifications_create, reminders_send


class Command(BaseCommand):
    help = "Create recertification assignments for certificates about to expire, then send due reminders."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD); for testing and catching up.")
        parser.add_argument(
            "--ahead-days", type=int, default=RECERTIFY_AHEAD_DAYS,
            help=f"Assign recertification this many days before a certificate expires (default {RECERTIFY_AHEAD_DAYS}, the day "
            "its new cycle opens; a larger value only announces it earlier).",
        )

    def handle(self, *args, today=None, ahead_days=RECERTIFY_AHEAD_DAYS, **options):
        if today:
            try:
                today = date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today {today!r} is not a date like 2026-03-31.") from None
        if ahead_days < 0:
            raise CommandError("--ahead-days must be 0 or more.")
        created = recertifications_create(today=today, ahead_days=ahead_days)
        announced = ReminderSent.objects.filter(assignment__in=created, kind=ReminderSent.Kind.RECERTIFY).count()
        counts = reminders_send(today=today)
        counts[ReminderSent.Kind.RECERTIFY.value] += announced
        self.stdout.write(f"Recertification assignments created: {len(created)}")
        for kind, count in counts.items():
            self.stdout.write(f"{kind} emails sent: {count}")
