"""Credentials over HTTP: the issuer's DID document, the status lists, and checking a pasted or
uploaded credential on the public /verify/ page. Downloads are in `assessments.certificates.views`
(guarded like the PDF)."""


from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from assessments.credentials.keys import did_document
from assessments.credentials.status_list import status_list_credential
from assessments.credentials.verification import MAX_BYTES, CredentialFileError, credential_parse, credential_verify
from assessments.models import IssuedCredential
from training.ratelimit import client_address, rate_limit_hit

PUBLIC_SECONDS = 300


def did_json(request):
    """did:web resolution of SITE_URL: every issuer key, retired ones too."""
    response = JsonResponse(did_document(), content_type="application/did+json")
    patch_cache_control(response, public=True, max_age=PUBLIC_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"  # browser wallets resolve it cross-origin
    return response


def status_list(request, number: int):
    if not IssuedCredential.objects.filter(status_list=number).exists():
        raise Http404("No such status list.")
    response = HttpResponse(status_list_credential(number), content_type="application/vc")
    patch_cache_control(response, public=True, max_age=PUBLIC_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


class CredentialCheckForm(forms.Form):
    credential_text = forms.CharField(
        label="Paste the credential (JSON)", required=False, widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})
    )
    credential_file = forms.FileField(label="…or upload the credential file (.json)", required=False)

    def clean(self):
        data = super().clean()
        upload, text = data.get("credential_file"), (data.get("credential_text") or "").strip()
        if upload and text:
            raise forms.ValidationError("Paste the credential or upload its file, not both.")
        if not upload and not text:
            raise forms.ValidationError("Paste a credential or choose its file.")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is too large ({upload.size:,} bytes; at most {MAX_BYTES:,}).")
        try:
            data["credential"] = credential_parse(upload.read(MAX_BYTES + 1) if upload else text)
        except CredentialFileError as problem:
            raise forms.ValidationError(str(problem)) from None
        return data


def credential_check(request):
    """Public: paste or upload a credential; says valid / expired / revoked / tampered / not ours,
    with the reasons. Shares the code check's rate limit (POSTs count)."""
    form, verdict, status = CredentialCheckForm(), None, 200
    if request.method == "POST":
        if rate_limit_hit(f"verify:{client_address(request)}", limit=settings.VERIFY_RATE_PER_MINUTE, window=60):
            return render(request, "assessments/certificate_rate_limited.html", status=429)
        form = CredentialCheckForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = credential_verify(form.cleaned_data["credential"])
        else:
            status = 400
    return render(request, "assessments/credential_check.html", {"form": form, "verdict": verdict}, status=status)
