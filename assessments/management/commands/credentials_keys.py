"""Show, create or rotate the issuer key that signs verifiable credentials."""

from django.core.management.base import BaseCommand, CommandError

from assessments.credentials import keys
from assessments.models import IssuerKey


class Command(BaseCommand):
    help = (
        "The issuer's Ed25519 keys (README 'Verifiable credentials'). Without options, lists them. "
        "--create makes the first key; --rotate retires the active key (still published, so what it "
        "signed still verifies) and makes a new one."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--create", action="store_true", help="Create the first key (refused when one is active).")
        group.add_argument("--rotate", action="store_true", help="Retire the active key and create a new one.")

    def handle(self, *args, create=False, rotate=False, **options):
        if create:
            try:
                key = keys.issuer_key_create()
            except ValueError as problem:
                raise CommandError(str(problem)) from None
            self.stdout.write(f"Created issuer key {keys.verification_method_id(key)}")
        elif rotate:
            key = keys.issuer_key_rotate()
            self.stdout.write(f"Rotated: new issuer key {keys.verification_method_id(key)}")
        self.stdout.write(f"Issuer: {keys.issuer_did()} (published at /.well-known/did.json)")
        for key in IssuerKey.objects.all():
            state = "active" if key.active else f"retired {key.retired_at:%Y-%m-%d %H:%M}"
            self.stdout.write(f"  {keys.verification_method_id(key)}  created {key.created_at:%Y-%m-%d %H:%M}  {state}")
        if not IssuerKey.objects.exists():
            self.stdout.write("  no key yet: run with --create (or the first credential issued creates one)")
