"""The cached course tree (modules/course_tree.py): pages read from it change as soon as an editor
publishes, unpublishes, renames, moves or deletes, and Wagtail's view restrictions still hold."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction, Site

from modules.course_tree import CACHE_KEY, CachedSiteMiddleware, course_tree, course_tree_drop
from modules.models import LessonPage
from tests.factories import add_course, add_lesson


@pytest.fixture
def lessons(course):
    return list(LessonPage.objects.live().child_of(course).order_by("path"))


def test_the_tree_is_built_once_then_read_from_the_cache(db, course, django_assert_num_queries):
    with django_assert_num_queries(8):  # courses, lessons, quizzes, view restrictions, aliases, sites, root pages (2)
        built = course_tree()
    with django_assert_num_queries(0):
        again = course_tree()
    assert [c.pk for c in again.courses] == [c.pk for c in built.courses] and course.pk in again.outlines
    assert again.routes[course.url_path] == ("modules.coursepage", course.pk)


def test_a_request_reads_the_tree_from_the_cache_once_and_a_drop_reaches_it(db, course, rf):
    """Routing, templates and progress ask for the tree several times per request: one cache read
    (each read unpickles a new copy), kept for that request only."""
    from django.http import HttpResponse

    course_tree()  # cached
    seen = []

    def view(request):
        seen.extend([course_tree(), course_tree()])
        course_tree_drop()  # an editor's save in this request: the request's copy goes too
        seen.append(course_tree())
        return HttpResponse()

    CachedSiteMiddleware(view)(rf.get("/"))
    assert seen[0] is seen[1] and seen[2] is not seen[0]
    assert course_tree() is not seen[2]  # after the request: from the cache again


def test_publishing_unpublishing_and_deleting_show_at_once(employee_client, catalog, course):
    assert "Customer Loyalty Fundamentals" in employee_client.get("/").content.decode()
    new = add_course(catalog, title="Brand new course")
    assert "Brand new course" in employee_client.get("/").content.decode()
    lesson = add_lesson(new, title="Its first lesson")
    assert "Its first lesson" in employee_client.get(new.url).content.decode()
    assert employee_client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert "Its first lesson" not in employee_client.get(new.url).content.decode()
    assert employee_client.get(lesson.url).status_code == 404
    new.delete()
    assert "Brand new course" not in employee_client.get("/").content.decode()
    assert employee_client.get(new.url).status_code == 404


def test_a_renamed_or_moved_lesson_is_found_at_its_new_address_only(employee_client, catalog, course, lessons):
    lesson, old_url = lessons[0], lessons[0].url
    assert employee_client.get(old_url).status_code == 200
    lesson.slug = "a-new-address"
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    assert employee_client.get(old_url).status_code == 404
    assert employee_client.get(lesson.url).status_code == 200
    other = add_course(catalog, title="Other course")
    employee_client.get(other.url)  # the tree is cached again
    renamed_url = lesson.url
    lesson.move(other, pos="last-child")
    moved = LessonPage.objects.get(pk=lesson.pk)
    assert employee_client.get(moved.url).status_code == 200 and moved.url.startswith(other.url)
    old = employee_client.get(renamed_url)  # Wagtail's automatic redirect for a moved page
    assert (old.status_code, old["Location"]) == (301, moved.url)
    assert f'href="{moved.url}"' in employee_client.get(other.url).content.decode()
    assert f'href="{renamed_url}"' not in employee_client.get(course.url).content.decode()


def test_unknown_and_draft_addresses_are_404(employee_client, course):
    draft = LessonPage(title="Not yet", live=False)
    course.add_child(instance=draft)
    assert employee_client.get(course.url + draft.slug + "/").status_code == 404
    assert employee_client.get(course.url + "no-such-page/").status_code == 404
    assert employee_client.get(course.url + "no/such/page/").status_code == 404


def test_a_view_restriction_added_later_still_keeps_people_out(employee_client, course, lessons):
    assert employee_client.get(lessons[1].url).status_code == 200  # the tree is cached, with no restriction
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Pilot group"))
    assert employee_client.get(lessons[1].url).status_code in (302, 403)  # Wagtail's own check ran
    restriction.delete()
    assert employee_client.get(lessons[1].url).status_code == 200


def test_a_change_drops_the_tree_again_when_its_transaction_commits(db, course, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    course_tree()
    with django_capture_on_commit_callbacks() as callbacks:
        course.title = "Renamed"
        course.save_revision().publish()
        course_tree()  # rebuilt inside the transaction (as another process might, from the old rows)
    assert cache.get(CACHE_KEY) is not None and callbacks
    for callback in callbacks:
        callback()
    assert cache.get(CACHE_KEY) is None


def test_the_site_is_chosen_as_wagtail_chooses_it(db, catalog, client):
    from wagtail.models.sites import get_site_for_hostname

    root = Page.objects.get(depth=1)
    Site.objects.create(hostname="training.example.com", port=443, root_page=catalog)
    Site.objects.create(hostname="training.example.com", port=8080, root_page=root)
    Site.objects.create(hostname="other.example.com", port=80, root_page=root)
    tree = course_tree()
    for hostname, port in [("localhost", 80), ("training.example.com", 443), ("training.example.com", 8080),
                           ("training.example.com", 81), ("other.example.com", 80), ("other.example.com", 81),
                           ("unknown.example.com", 80)]:
        assert tree.site_for(hostname, port).pk == get_site_for_hostname(hostname, port).pk, (hostname, port)
        assert type(tree.site_for(hostname, port).root_page) is type(get_site_for_hostname(hostname, port).root_page.specific)


def test_a_site_change_drops_the_tree(employee_client, catalog):
    from django.core.cache import cache

    assert employee_client.get("/").status_code == 200 and cache.get(CACHE_KEY) is not None
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Academy"
    site.save()
    assert cache.get(CACHE_KEY) is None
