from wagtail.models import Page

from modules.models import CatalogPage, CoursePage, LessonPage, QuizPage


def test_tree_rules():
    assert CatalogPage.allowed_parent_page_models() == [Page]
    assert CatalogPage.allowed_subpage_models() == [CoursePage]
    assert CoursePage.allowed_parent_page_models() == [CatalogPage]
    assert CoursePage.allowed_subpage_models() == [LessonPage, QuizPage]
    assert LessonPage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_subpage_models() == []
    assert QuizPage.allowed_parent_page_models() == [CoursePage]
    assert QuizPage.allowed_subpage_models() == []


def test_pages_can_only_be_created_where_the_rules_allow(catalog, course):
    lesson = LessonPage.objects.child_of(course).first()
    assert CoursePage.can_create_at(catalog) and not CoursePage.can_create_at(course)
    assert LessonPage.can_create_at(course) and not LessonPage.can_create_at(catalog)
    assert not LessonPage.can_create_at(lesson) and not CatalogPage.can_create_at(course)
    assert QuizPage.can_create_at(course) and not QuizPage.can_create_at(catalog) and not QuizPage.can_create_at(lesson)
