import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.management import call_command
from django.db import connection
from wagtail.models import Site

from assessments.certificates.services import default_template_ensure
from modules.loading import curriculum_load
from modules.models import CatalogPage, CoursePage
from training.people.demo import demo_people_load
from training.people.models import Employee
from tests.redis_server import redis_url  # noqa: F401  (session fixture: a real redis-server)

# The test database once the academy is loaded, serialised: the `academy` fixture puts it back.
ACADEMY_ROWS = {}


def load_academy():
    """What `manage.py load_academy` loads: certificate template, curriculum, demo people."""
    default_template_ensure()
    curriculum_load()
    demo_people_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the shipped curriculum and demo people, as `make run` has them."""
    with django_db_blocker.unblock():
        load_academy()
        ACADEMY_ROWS["content types"] = serializers.serialize("json", ContentType.objects.order_by("pk"))
        ACADEMY_ROWS["all"] = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def course_tree_dropped():
    """The cached course tree (modules/course_tree.py) outlives a test's rolled-back pages: each
    test starts without it."""
    from modules.course_tree import course_tree_drop

    course_tree_drop()


@pytest.fixture
def catalog(db):
    return CatalogPage.objects.get()


@pytest.fixture
def course(db):
    return CoursePage.objects.get(slug="customer-loyalty-fundamentals")


@pytest.fixture
def employee(db):
    return Employee.objects.get(user__username="amira")


@pytest.fixture
def employee_client(client, employee):
    client.force_login(employee.user)
    return client


@pytest.fixture
def academy(db):
    """For tests in real transactions (browser, threads): the academy as the session loaded it,
    put back row for row (a second's work, where loading it again took several). Before the
    first such test Django restored the migrated rows over it (the site's root among them), and
    after each one it empties the tables."""
    # Empty the tables without post_migrate: under Playwright's event loop Django's own flush
    # after the previous test re-ran it (content types, permissions under new ids).
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    # Content types first, and cached under their restored ids: restoring a Wagtail task (here,
    # and in Django's own restore before the next test) looks its type up in __init__, and a miss
    # would insert one under a new id, which the restored row then collides with.
    connection.creation.deserialize_db_from_string(ACADEMY_ROWS["content types"])
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())
    connection.creation.deserialize_db_from_string(ACADEMY_ROWS["all"])
    # Saving a site forgets Wagtail's cached site roots; a restore sends no signal, so do it here.
    Site.clear_site_root_paths_cache()
    # The restored rows carry their ids; move PostgreSQL's sequences past them.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


# Mark for tests whose transactions must be visible to other threads or a live server.
in_real_transactions = pytest.mark.django_db(transaction=True, serialized_rollback=True)
