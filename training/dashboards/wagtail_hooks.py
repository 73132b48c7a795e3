from django.urls import reverse
from wagtail import hooks

from assessments.statistics.views import ANSWERS_LINK_HOOK
from training.people.selectors import is_hr
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


@hooks.register(ANSWERS_LINK_HOOK)
def quiz_answers_download_url(quiz, user):
    """On a quiz's question statistics: HR's audit download of every answer (the attempts report's export)."""
    return f"{reverse('academy_report_responses')}?quiz={quiz.pk}&export=xlsx" if is_hr(user) else None
