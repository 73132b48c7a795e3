"""The attempt page's links to each of its questions."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def question_links(answered: list[bool], current: int):
    """`{% question_links answered_by_number number %}`: one pagination item per question, bold
    when answered (quiz.js marks a question's link when its autosave goes through), the current one
    marked. Made here, not with template tags: as template nodes the 15 to 40 links took a
    quarter of the page's rendering. Only numbers and fixed text go in, so nothing needs escaping."""
    items = []
    for number, done in enumerate(answered, 1):
        active, marked = (" active", ' aria-current="page"') if number == current else ("", "")
        items.append(
            f'<li class="page-item{active}"><a class="page-link{" fw-bold" if done else ""}" '
            f'href="?q={number}" data-question-link="{number}"{marked}>{number}'
            f'<span class="visually-hidden"> ({"answered" if done else "not answered"})</span></a></li>'
        )
    return mark_safe("\n".join(items))
