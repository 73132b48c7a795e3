from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from training.people.invitations import invitations_send
from training.people.invitations import never_signed_in as never_signed_in_people


class Command(BaseCommand):
    help = (
        "Email invitations with a link to choose a password: to the people named (email or username), "
        "or with --never-signed-in to every active employee who has never signed in (safe for cron: "
        "each person gets one email per run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("people", nargs="*", help="Email addresses or usernames of the people to invite.")
        parser.add_argument(
            "--never-signed-in", action="store_true", help="Invite every active employee who has never signed in."
        )

    def handle(self, *args, people=(), never_signed_in=False, **options):
        if bool(people) == bool(never_signed_in):
            raise CommandError("Name the people to invite, or give --never-signed-in (not both).")
        if never_signed_in:
            users = list(never_signed_in_people().select_related("employee"))
        else:
            User = get_user_model()
            users, unknown = [], []
            for name in people:
                user = User.objects.filter(email__iexact=name).first() or User.objects.filter(username=name).first()
                (users.append(user) if user else unknown.append(name))
            if unknown:
                raise CommandError(f"No such person: {', '.join(unknown)}; nothing was sent.")
        sent = invitations_send(users=users)
        skipped = len({user.pk for user in users}) - sent
        note = f" ({skipped} inactive or without an email address, or failed: see the log)" if skipped else ""
        self.stdout.write(self.style.SUCCESS(f"{sent} invitation(s) sent{note}."))
