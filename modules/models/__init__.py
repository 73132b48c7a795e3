from .pages import CatalogPage, CoursePage, LessonPage, QuizPage
from .progress import LessonCompletion

__all__ = ["CatalogPage", "CoursePage", "LessonCompletion", "LessonPage", "QuizPage"]
