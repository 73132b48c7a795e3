from django.core.management.base import BaseCommand

from training.people.roles import roles_sync


class Command(BaseCommand):
    help = "Create the role groups (Employee, Manager, HR, Editor) and give each only the permissions it needs."

    def handle(self, *args, **options):
        groups = roles_sync()
        for name, group in groups.items():
            self.stdout.write(f"{name}: {group.permissions.count()} permission(s)")
