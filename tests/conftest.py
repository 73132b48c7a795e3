import pytest

from modules.models import CatalogPage, CoursePage
from training.people.models import Employee


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the shipped curriculum and demo people, as `make run` has them."""
    from modules.loading import curriculum_load
    from training.people.demo import demo_people_load

    with django_db_blocker.unblock():
        curriculum_load()
        demo_people_load()


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
    from modules.loading import curriculum_load
    from training.people.demo import demo_people_load

    curriculum_load()
    demo_people_load()


# Mark for tests whose transactions must be visible to other threads or a live server.
in_real_transactions = pytest.mark.django_db(transaction=True, serialized_rollback=True)
