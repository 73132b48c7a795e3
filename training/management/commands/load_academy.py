from django.core.management.base import BaseCommand

from assessments.certificates.services import default_template_ensure
from modules.loading import curriculum_load
from training.demo_activity import demo_activity_load
from training.people.demo import DEMO_PASSWORD, demo_people_load
from training.people.roles import roles_sync


class Command(BaseCommand):
    help = "Create or update the shipped loyalty curriculum and the demo people. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-people", action="store_true", help="Load the curriculum only.")
        parser.add_argument(
            "--demo-activity", action="store_true",
            help="Also give the demo people a year of made-up learning (once; `make run` asks for it).",
        )

    def handle(self, *args, no_people=False, demo_activity=False, **options):
        default_template_ensure()
        result = curriculum_load()
        self.stdout.write(
            f"Curriculum: “{result['course'].title}”, {result['lessons']} lessons, {result['quizzes']} quizzes, "
            f"{result['changed_pages']} page(s) created or updated."
        )
        if no_people:
            roles_sync()  # the role groups without the demo people (who bring them): a new company's HR needs them
            return
        logins = demo_people_load()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<15} {login.role:<28} {login.name}")
        if demo_activity:
            made = demo_activity_load()
            if made is None:
                self.stdout.write("\nDemo activity: the demo people already have some; nothing added.")
            else:
                self.stdout.write("\nDemo activity: " + ", ".join(f"{count} {what}" for what, count in made.items()))
