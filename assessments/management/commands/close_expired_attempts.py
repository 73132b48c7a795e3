from django.core.management.base import BaseCommand

from assessments.attempts.services import attempts_close_expired


class Command(BaseCommand):
    help = "Close and score every quiz attempt past its time limit. Safe to run from cron."

    def handle(self, *args, **options):
        closed = attempts_close_expired()
        self.stdout.write(f"Closed {closed} expired attempt(s).")
