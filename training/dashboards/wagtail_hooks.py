from django.urls import reverse
from wagtail import hooks

from training.people.wagtail_hooks import HRMenuItem

REPORTS = [
    ("Completions by course and team", "academy_report_completions", "tick-inverse"),
    ("Attempts and scores", "academy_report_attempts", "list-ol"),
    ("Certificates", "academy_report_certificates", "doc-full"),
    ("Overdue assignments", "academy_report_overdue", "warning"),
]


def _menu_item(label, url_name, icon, order):
    return lambda: HRMenuItem(label, reverse(url_name), name=url_name.replace("_", "-"), icon_name=icon, order=order)


for order, (label, url_name, icon) in enumerate(REPORTS):
    hooks.register("register_reports_menu_item", _menu_item(label, url_name, icon, 100 + order))
