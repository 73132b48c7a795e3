"""The published course tree, kept in the Django cache: every page view needs it (the catalog's
courses, a course's outline, the course a lesson belongs to, which page a URL names), and it
changes only when an editor publishes, moves or deletes a page.

What is cached is content only, the same for everyone: live courses in tree order, each course's
live lessons and quizzes (bodies and question pools left out), which URL path names which page,
the paths of pages with a view restriction or an alias, and the Wagtail sites with their root
pages. Nobody's progress is cached.

It is dropped whenever a page is saved (publishing, unpublishing, a slug change, a draft save),
moved or deleted, a view restriction changes, or a site changes: at once and again when the
transaction commits, so a request served meanwhile by another process cannot keep the old tree.
The cache is local memory on one machine and Redis in production (shared by every process).
A transaction that rebuilt the tree and then rolled back could leave it stale; `TIMEOUT` bounds
that. `course_tree_drop()` drops it by hand (tests start each from an empty cache).
"""

import logging
from dataclasses import dataclass, field

from asgiref.local import Local

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

logger = logging.getLogger(__name__)
CACHE_KEY = "modules:course_tree:v1"
TIMEOUT = 600  # seconds; see the module docstring


@dataclass(frozen=True)
class CourseTree:
    courses: tuple = ()  # live CoursePages in tree order
    outlines: dict = field(default_factory=dict)  # course id -> its live lessons and quizzes in order
    steps: dict = field(default_factory=dict)  # page id -> each of those lessons and quizzes
    routes: dict = field(default_factory=dict)  # url_path -> (model label, page id) of live courses, lessons, quizzes
    guarded_paths: frozenset = frozenset()  # paths of pages with a view restriction, or aliases
    sites: tuple = ()  # every Site, its root page specific (usually the catalog)

    def courses_under(self, parent) -> list:
        return [c for c in self.courses if c.depth == parent.depth + 1 and c.path.startswith(parent.path)]

    def course_of(self, page):
        """The live course a lesson or quiz belongs to, or None."""
        parent_path = page.path[: -Page.steplen]
        return next((c for c in self.courses if c.path == parent_path), None)

    def site_for(self, hostname: str, port: int):
        """The Site for a request's host and port: Wagtail's rule (`wagtail.models.sites.
        get_site_for_hostname`) over the cached sites, or None."""

        def match(site):
            if site.hostname == hostname:
                return 0 if site.port == port else 1 if site.is_default_site else 3
            return 2  # the default site, another hostname

        candidates = sorted((s for s in self.sites if s.hostname == hostname or s.is_default_site), key=match)
        if not candidates:
            return None
        if len(candidates) == 1 or match(candidates[0]) in (0, 1):
            return candidates[0]
        return candidates[len(candidates) == 2]  # the default, unless exactly one other site has the hostname

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
    steps = {item.pk: item for items in outlines.values() for item in items}
    routes = {
        page.url_path: (page._meta.label_lower, page.pk)
        for page in [*courses, *steps.values()]
    }
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
    sites = tuple(Site.objects.select_related("root_page"))
    roots = Page.objects.filter(pk__in={site.root_page_id for site in sites}).specific().in_bulk()
    for site in sites:
        site.root_page = roots[site.root_page_id]
    return CourseTree(courses=courses, outlines=outlines, steps=steps, routes=routes, guarded_paths=frozenset([*restricted, *aliases]),
                      sites=sites)


def _cached() -> CourseTree | None:
    """The cached tree, or None; a cache that does not answer (Redis down) is logged and pages are
    served from the database meanwhile."""
    try:
        return cache.get(CACHE_KEY)
    except Exception:
        logger.warning("The cache did not answer; the course tree is read from the database.", exc_info=True)
        return None


# The tree of the request being served, read from the cache once (CachedSiteMiddleware) however
# many times routing, templates and progress ask for it; per thread and task, gone with the request.
_this_request = Local()


def course_tree() -> CourseTree:
    """The published course tree: the request's, from the cache, or eight queries to build it."""
    tree = getattr(_this_request, "tree", None)
    if tree is not None:
        return tree
    tree = _cached()
    if tree is None:
        tree = _build()
        try:
            cache.set(CACHE_KEY, tree, TIMEOUT)
        except Exception:
            logger.warning("The cache did not answer; the course tree is not kept.", exc_info=True)
    if getattr(_this_request, "serving", False):
        _this_request.tree = tree
    return tree


def course_of(page):
    """The course a lesson or quiz belongs to: from the tree, or (a course not live) the database."""
    from modules.models import CoursePage

    return course_tree().course_of(page) or CoursePage.objects.parent_of(page).first()


def route_in_tree(url_path: str):
    """The live page (specific, whole) at `url_path`, in one query, or None when the tree does not
    know the path (Wagtail's own routing then decides)."""
    found = course_tree().routes.get(url_path)
    if found is None:
        return None
    label, pk = found
    return apps.get_model(label).objects.filter(pk=pk, live=True).first()


class CachedSiteMiddleware:
    """Finds the request's Wagtail Site (with its root page) in the cached tree when the tree is
    cached, so routing starts without the two queries Wagtail makes for them; otherwise Wagtail
    finds it as usual (`Site.find_for_request` keeps it on the request either way)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tree = _cached()
        if tree is not None:
            hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
            site = tree.site_for(hostname, int(port) if str(port).isdigit() else port)
            if site is not None:
                request._wagtail_site = site
        _this_request.serving, _this_request.tree = True, tree
        try:
            return self.get_response(request)
        finally:
            _this_request.serving, _this_request.tree = False, None


def course_tree_drop(**kwargs):
    _this_request.tree = None
    try:
        cache.delete(CACHE_KEY)
    except Exception:  # the save goes on; a tree kept by a cache that comes back expires after TIMEOUT
        logger.error("The cache did not answer; the course tree could not be dropped.", exc_info=True)


def _dropped(sender, instance=None, **kwargs):
    if sender in (PageViewRestriction, Site) or isinstance(instance, Page):
        course_tree_drop()
        transaction.on_commit(course_tree_drop)


def connect():
    """Called from the app's ready()."""
    post_save.connect(_dropped, dispatch_uid="course_tree_saved")
    post_delete.connect(_dropped, dispatch_uid="course_tree_deleted")
    post_page_move.connect(_dropped, dispatch_uid="course_tree_moved")
