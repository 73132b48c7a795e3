"""The public check of a certificate's code, at /verify/<code>/ (training/urls.py includes this)."""

from django.urls import path

from assessments.certificates.views import certificate_verify

urlpatterns = [path("<str:code>/", certificate_verify, name="certificate_verify")]
