"""Private files: certificate PDFs and bulk export ZIPs, which no public URL may reach.

They live in the `private` storage of `settings.STORAGES` (a folder outside MEDIA_ROOT by default;
later object storage behind the same alias), under random names that are not the certificate's
public code, and they are served only by permission-checked views through `private_file_response`.

To add another private file: give its FileField `storage=private_storage`,
`upload_to=<a function returning random_name(folder, suffix)>` and `editable=False` (generated
files are never uploaded through a form), and serve it from a view that checks who may read it.
"""

import secrets
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

PRIVATE = "private"  # the alias in settings.STORAGES


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage with no URL at all: `.url()` raises ValueError instead of falling back
    to MEDIA_URL (which FileSystemStorage does when base_url is None), so no template or
    serializer can hand out a link that a web server publishing MEDIA_ROOT might answer."""

    @property
    def base_url(self):
        return None


def private_storage():
    """The private storage, for FileFields' `storage=` (a callable, so migrations name the alias
    rather than a folder, and another backend can be put behind it in settings)."""
    return storages[PRIVATE]


def random_name(folder: str, suffix: str) -> str:
    """`<folder>/<32 random hex digits><suffix>`: a name that says nothing about what is in it."""
    return f"{folder}/{secrets.token_hex(16)}{suffix}"


def private_file_response(field_file, *, filename: str, content_type: str) -> HttpResponse:
    """The response a guarded view returns once it has decided the user may have the file.

    With object storage (STORAGE_BUCKET) the answer is a redirect to a short-lived signed URL.
    Otherwise, by default the file is streamed from storage (`FileResponse`, in chunks). With
    `PRIVATE_FILES_X_ACCEL_REDIRECT` set to an internal location prefix (e.g. "/protected/"),
    the body is empty and an `X-Accel-Redirect: <prefix><name>` header tells nginx to send the
    file itself from that internal location (which must alias the private root and be marked
    `internal;` so no client can request it directly). Either way the response is marked
    `Cache-Control: private`, so no shared cache keeps a copy for someone else.
    """
    prefix = settings.PRIVATE_FILES_X_ACCEL_REDIRECT
    if not isinstance(field_file.storage, FileSystemStorage):
        # Object storage: a redirect to a signed URL that expires in STORAGE_URL_SECONDS; the
        # file's bytes never pass through a web worker. Never cached: the link is this user's.
        url = field_file.storage.url(
            field_file.name,
            parameters={"ResponseContentDisposition": content_disposition_header(True, filename), "ResponseContentType": content_type},
        )
        response = HttpResponseRedirect(url)
        patch_cache_control(response, private=True, no_store=True)
        return response
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)  # as FileResponse does
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
    else:
        response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    patch_cache_control(response, private=True)
    return response


def check_private_root(app_configs=None, **kwargs):
    """System check: the private folder must not lie inside a folder served to the public
    (MEDIA_ROOT, STATIC_ROOT), or the files would have a URL after all."""
    from django.core.checks import Error

    storage = private_storage()
    if not isinstance(storage, FileSystemStorage):
        return []  # e.g. object storage: its own access rules apply
    location = Path(storage.location).resolve()
    errors = []
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, setting, None)
        if public and location.is_relative_to(Path(public).resolve()):
            errors.append(
                Error(
                    f"The private storage's folder {location} is inside {setting} ({public}), which is served publicly.",
                    hint="Set DJANGO_PRIVATE_ROOT to a folder outside MEDIA_ROOT and STATIC_ROOT.",
                    id="training.E001",
                )
            )
    return errors


def private_files_adopt(*, model, field_name: str, folder: str, suffix: str, public=None, private=None) -> dict[str, int]:
    """Move files that an earlier version stored publicly (default storage, under MEDIA_ROOT, named
    by the certificate code or export id) into private storage under random names.

    Run by the data migrations that made the fields private, so a developer's existing `make run`
    install is moved on the next migrate. Each row whose file is still public gets a new private
    file; a row whose file is nowhere is emptied (`render_certificates` renders a certificate
    again; an export shows as not ready). Files left in the public `folder` that no row names are
    moved to `unreferenced/<folder>/` in private storage rather than deleted. Running it again
    changes nothing. Returns counts: moved, emptied, unreferenced.
    """
    from django.core.files.storage import default_storage

    public = public or default_storage
    private = private or private_storage()
    manager = model._default_manager
    counts = {"moved": 0, "emptied": 0, "unreferenced": 0}
    rows = list(manager.exclude(**{field_name: ""}).values_list("pk", field_name))
    for pk, name in rows:
        if public.exists(name):
            with public.open(name, "rb") as source:
                new_name = private.save(random_name(folder, suffix), source)
            manager.filter(pk=pk).update(**{field_name: new_name})
            public.delete(name)
            counts["moved"] += 1
        elif not private.exists(name):
            manager.filter(pk=pk).update(**{field_name: ""})
            counts["emptied"] += 1
    if public.exists(folder):
        for leftover in public.listdir(folder)[1]:
            name = f"{folder}/{leftover}"
            with public.open(name, "rb") as source:
                private.save(f"unreferenced/{name}", source)
            public.delete(name)
            counts["unreferenced"] += 1
    return counts
