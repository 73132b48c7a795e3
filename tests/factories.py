import factory
from django.contrib.auth import get_user_model

from modules.models import CoursePage, LessonPage
from training.people.models import Employee, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"T{n:05d}")
    job_title = "Associate"


def add_course(parent, title="Course", **fields) -> CoursePage:
    course = CoursePage(title=title, **fields)
    parent.add_child(instance=course)
    course.save_revision().publish()
    return course


def add_lesson(course, title="Lesson", body=(), **fields) -> LessonPage:
    lesson = LessonPage(title=title, body=[{"type": t, "value": v} for t, v in body], **fields)
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson
