import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from assessments.certificates.services import default_template_ensure
from modules.loading import curriculum_load
from modules.models import CatalogPage, CoursePage
from training.people.demo import demo_people_load
from training.people.models import Employee
from tests.redis_server import redis_url  # noqa: F401  (session fixture: a real redis-server)

MIGRATED_ROWS = {}  # what migrations put in the test database, as Django serialised it


def load_academy():
    """What `manage.py load_academy` loads: certificate template, curriculum, demo people."""
    default_template_ensure()
    curriculum_load()
    demo_people_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the shipped curriculum and demo people, as `make run` has them."""
    MIGRATED_ROWS["default"] = getattr(connection, "_test_serialized_contents", None)
    with django_db_blocker.unblock():
        load_academy()


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
    """For tests in real transactions (browser, threads): after each such test Django empties the
    tables and puts back only what migrations made, so these tests load the academy themselves."""
    if not Page.objects.exists():
        # Django restores the migrated rows only on the connection object that serialised them;
        # under Playwright's event loop it hands out another one, and its flush after the previous
        # test re-ran post_migrate (content types, permissions under new ids). So empty the tables
        # without post_migrate, put the migrated rows back, then forget cached content types.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(MIGRATED_ROWS["default"])
        ContentType.objects.clear_cache()
        # The restored rows carry their ids; move PostgreSQL's sequences past them.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(statement)
    load_academy()


# Mark for tests whose transactions must be visible to other threads or a live server.
in_real_transactions = pytest.mark.django_db(transaction=True, serialized_rollback=True)

