"""The site's URLs plus uploaded media (/media/...), for browser tests that show Wagtail images:
training.urls serves media only with DEBUG on, and a production web server serves it otherwise."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from training.urls import urlpatterns as site_urlpatterns

urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}), *site_urlpatterns]
