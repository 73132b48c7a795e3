"""The public checks at /verify/ (training/urls.py includes this): a certificate's code, and a
pasted or uploaded verifiable credential."""

from django.urls import path

from assessments.certificates.views import certificate_verify
from assessments.credentials.views import credential_check

urlpatterns = [
    path("", credential_check, name="credential_check"),
    path("<str:code>/", certificate_verify, name="certificate_verify"),
]
