"""The published course tree, kept in the Django cache: every page view needs it (the catalog's
courses, a course's outline, the course a lesson belongs to, which page a URL names), and it
changes only when an editor publishes, moves or deletes a page.

What is cached is content only, the same for everyone: live courses in tree order, each course's
live lessons and quizzes (bodies and question pools left out), which URL path names which page,
and the paths of pages with a view restriction or an alias. Nobody's progress is cached.

It is dropped whenever a page is saved (publishing, unpublishing, a slug change, a draft save),
moved or deleted, a view restriction changes, or a site changes: at once and again when the
transaction commits, so a request served meanwhile by another process cannot keep the old tree.
The cache is local memory on one machine and Redis in production (shared by every process).
A transaction that rebuilt the tree and then rolled back could leave it stale; `TIMEOUT` bounds
that. `course_tree_drop()` drops it by hand (tests start each from an empty cache).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

CACHE_KEY = "modules:course_tree:v1"
TIMEOUT = 600  # seconds; see the module docstring


@dataclass(frozen=True)
class CourseTree:
    courses: tuple = ()  # live CoursePages in tree order
    outlines: dict = field(default_factory=dict)  # course id -> its live lessons and quizzes in order
    routes: dict = field(default_factory=dict)  # url_path -> (model label, page id) of live courses, lessons, quizzes
    guarded_paths: frozenset = frozenset()  # paths of pages with a view restriction, or aliases

    def courses_under(self, parent) -> list:
        return [c for c in self.courses if c.depth == parent.depth + 1 and c.path.startswith(parent.path)]

    def course_of(self, page):
        """The live course a lesson or quiz belongs to, or None."""
        parent_path = page.path[: -Page.steplen]
        return next((c for c in self.courses if c.path == parent_path), None)

    def is_guarded(self, page) -> bool:
        """Whether the page or an ancestor has a view restriction or is an alias (then Wagtail's
        own check runs)."""
        return any(page.path[:end] in self.guarded_paths for end in range(Page.steplen, len(page.path) + 1, Page.steplen))


def _build() -> CourseTree:
    from modules.models import CoursePage, LessonPage, QuizPage

    courses = tuple(CoursePage.objects.live().order_by("path"))
    by_path = {course.path: [] for course in courses}
    lessons = LessonPage.objects.live().filter(depth__in={c.depth + 1 for c in courses}).defer("body")
    quizzes = QuizPage.objects.live().filter(depth__in={c.depth + 1 for c in courses}).defer("questions")
    for page in sorted([*lessons, *quizzes], key=lambda p: p.path):
        if page.path[: -Page.steplen] in by_path:
            by_path[page.path[: -Page.steplen]].append(page)
    outlines = {course.pk: tuple(by_path[course.path]) for course in courses}
    routes = {
        page.url_path: (page._meta.label_lower, page.pk)
        for page in [*courses, *(item for items in outlines.values() for item in items)]
    }
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
    return CourseTree(courses=courses, outlines=outlines, routes=routes, guarded_paths=frozenset([*restricted, *aliases]))


def course_tree() -> CourseTree:
    """The published course tree: from the cache, or five queries to build it."""
    tree = cache.get(CACHE_KEY)
    if tree is None:
        tree = _build()
        cache.set(CACHE_KEY, tree, TIMEOUT)
    return tree


def route_in_tree(url_path: str):
    """The live page (specific, whole) at `url_path`, in one query, or None when the tree does not
    know the path (Wagtail's own routing then decides)."""
    found = course_tree().routes.get(url_path)
    if found is None:
        return None
    label, pk = found
    return apps.get_model(label).objects.filter(pk=pk, live=True).first()


def course_tree_drop(**kwargs):
    cache.delete(CACHE_KEY)


def _dropped(sender, instance=None, **kwargs):
    if sender in (PageViewRestriction, Site) or isinstance(instance, Page):
        course_tree_drop()
        transaction.on_commit(course_tree_drop)


def connect():
    """Called from the app's ready()."""
    post_save.connect(_dropped, dispatch_uid="course_tree_saved")
    post_delete.connect(_dropped, dispatch_uid="course_tree_deleted")
    post_page_move.connect(_dropped, dispatch_uid="course_tree_moved")
