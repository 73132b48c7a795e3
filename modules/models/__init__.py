from .pages import CatalogPage, CoursePage, LessonPage
from .progress import LessonCompletion

__all__ = ["CatalogPage", "CoursePage", "LessonCompletion", "LessonPage"]
