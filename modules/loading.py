"""Create or update the shipped curriculum in the page tree, without duplicating anything.

A page is saved (and a revision published) only when its shipped content differs from what is
in the tree, so a second run changes nothing. Block ids are derived from the lesson slug and the
block's position, which keeps them stable across runs.
"""

import uuid

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Site

from modules.curriculum import CATALOG, COURSE
from modules.models import CatalogPage, CoursePage, LessonPage, QuizPage
from modules.quizzes import FINAL_ASSESSMENT, LESSON_QUIZZES
from training.people import roles

_BLOCK_ID_NAMESPACE = uuid.UUID("6f1c8c1e-2f7a-4d0e-9a52-3f4b1c7d9e10")


def _without_ids(data):
    """Stream data minus block/list-item ids, so stored and shipped content compare by meaning."""
    if isinstance(data, dict):
        return {key: _without_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def _stable_id(name: str) -> str:
    return str(uuid.uuid5(_BLOCK_ID_NAMESPACE, name))


def _stream_data(slug: str, body) -> list[dict]:
    return [
        {"type": block_type, "value": value, "id": _stable_id(f"{slug}:{position}")}
        for position, (block_type, value) in enumerate(body)
    ]


def _with_item_ids(value, name: str):
    """A question's lists (choices, options, items, pairs) in ListBlock's item form, with ids
    derived from their place: without stored ids Wagtail makes new ones on every load, and
    statistics could not follow a choice from one attempt to the next."""
    if isinstance(value, dict):
        return {key: _with_item_ids(item, f"{name}:{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [
            {"type": "item", "value": _with_item_ids(item, f"{name}:{index}"), "id": _stable_id(f"{name}:{index}")}
            for index, item in enumerate(value)
        ]
    return value


def _question_data(slug: str, questions) -> list[dict]:
    return [
        {**block, "value": _with_item_ids(block["value"], block["id"])} for block in _stream_data(slug, questions)
    ]


def _upsert_child(parent: Page, model, slug: str, fields: dict, stream_fields: tuple = ()) -> tuple[Page, bool]:
    """Create the child page, or update it when the shipped fields differ; returns (page, changed)."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page, True
    changed = False
    for name, value in fields.items():
        if name in stream_fields:
            block = model._meta.get_field(name).stream_block
            current = _without_ids(block.get_prep_value(getattr(page, name)))
            shipped = _without_ids(block.get_prep_value(block.to_python(value)))
            if current == shipped:
                continue
        elif getattr(page, name) == value:
            continue
        setattr(page, name, value)
        changed = True
    if changed:
        page.save_revision().publish()
    return page, changed


def _catalog_as_site_root() -> CatalogPage:
    root = Page.get_first_root_node()
    catalog = CatalogPage.objects.child_of(root).first()
    if catalog is None:
        catalog = CatalogPage(title=CATALOG["title"], slug="academy", intro=CATALOG["intro"])
        root.add_child(instance=catalog)
        catalog.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=catalog, is_default_site=True, site_name="Loyalty Academy")
    elif site.root_page_id != catalog.pk:
        old_root = site.root_page
        site.root_page = catalog
        site.site_name = "Loyalty Academy"
        site.save()
        # Wagtail's placeholder "Welcome" page has no purpose once the catalog is the home page.
        if old_root.content_type.model == "page" and old_root.is_leaf():
            old_root.delete()
    return catalog


def _editor_page_permissions(catalog: CatalogPage) -> None:
    editors, _ = Group.objects.get_or_create(name=roles.EDITOR)
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=editors, page=catalog, permission=permission)


@transaction.atomic
def curriculum_load() -> dict:
    """Load the shipped course under the catalog; returns counts of pages created or updated."""
    catalog = _catalog_as_site_root()
    _editor_page_permissions(catalog)
    course, course_changed = _upsert_child(
        catalog,
        CoursePage,
        COURSE["slug"],
        {
            "title": COURSE["title"],
            "intro": COURSE["intro"],
            "estimated_minutes": COURSE["estimated_minutes"],
            "certificate_validity_months": COURSE["certificate_validity_months"],
        },
    )
    changed = [course_changed]
    order = []
    quizzes = {quiz["after_lesson"]: quiz for quiz in LESSON_QUIZZES}
    for lesson in COURSE["lessons"]:
        lesson_page, lesson_changed = _upsert_child(
            course,
            LessonPage,
            lesson["slug"],
            {
                "title": lesson["title"],
                "summary": lesson["summary"],
                "estimated_minutes": lesson["estimated_minutes"],
                "body": _stream_data(lesson["slug"], lesson["body"]),
            },
            stream_fields=("body",),
        )
        changed.append(lesson_changed)
        order.append(lesson_page)
        if lesson["slug"] in quizzes:
            quiz_page, quiz_changed = _upsert_quiz(course, quizzes[lesson["slug"]], LESSON_QUIZ_RULES)
            changed.append(quiz_changed)
            order.append(quiz_page)
    final_page, final_changed = _upsert_quiz(course, FINAL_ASSESSMENT, FINAL_ASSESSMENT_RULES)
    changed.append(final_changed)
    order.append(final_page)
    moved = _keep_order(order)
    return {
        "course": course,
        "lessons": len(COURSE["lessons"]),
        "quizzes": len(LESSON_QUIZZES) + 1,
        "changed_pages": sum(changed) + moved,
    }


LESSON_QUIZ_RULES = {"pass_mark": 70, "attempts_allowed": 0, "time_limit_minutes": 0, "questions_per_attempt": 0,
                     "shuffle_questions": False, "shuffle_choices": True, "grading_policy": "highest",
                     "feedback_shown": "after_submit", "layout": "all_on_one"}
FINAL_ASSESSMENT_RULES = {"pass_mark": 80, "attempts_allowed": 3, "time_limit_minutes": 20, "questions_per_attempt": 15,
                          "shuffle_questions": True, "shuffle_choices": True, "grading_policy": "highest",
                          "feedback_shown": "after_pass", "layout": "one_per_page"}


def _upsert_quiz(course, quiz: dict, rules: dict):
    return _upsert_child(
        course,
        QuizPage,
        quiz["slug"],
        {"title": quiz["title"], "intro": quiz["intro"], **rules, "questions": _question_data(quiz["slug"], quiz["questions"])},
        stream_fields=("questions",),
    )


def _keep_order(pages: list) -> int:
    """Move pages so they follow each other as listed (each quiz right after its lesson)."""
    moved = 0
    for previous, page in zip(pages, pages[1:]):
        current = Page.objects.get(pk=page.pk)
        if current.get_prev_sibling() is None or current.get_prev_sibling().pk != previous.pk:
            current.move(Page.objects.get(pk=previous.pk), pos="right")
            moved += 1
    return moved
