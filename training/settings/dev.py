import warnings

from .base import *  # noqa: F403
from .base import env

DEBUG = env("DJANGO_DEBUG", True, cast=bool)

# runserver serves static files from the finders; no collectstatic folder is needed in development.
warnings.filterwarnings("ignore", message="No directory at")
