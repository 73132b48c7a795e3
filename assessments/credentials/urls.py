"""The issuer of our verifiable credentials, at the site's root (README "Verifiable credentials"):
its did:web document and its Bitstring status lists."""

from django.urls import path

from assessments.credentials.views import did_json, status_list

urlpatterns = [
    path(".well-known/did.json", did_json, name="did_json"),
    path("credentials/status/<id:number>", status_list, name="credential_status_list"),
]
