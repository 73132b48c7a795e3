"""Django's 400 page (handler400) saying what was refused. A request Django will not read (a
pasted text over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields) is refused before any view or
form sees it, so no form can name the problem: this page does."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        problem = f"What you sent is too large: at most {limit:g} MB of typed or pasted text. Upload it as a file instead, or send less."
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        problem = "What you sent has too many fields or files to read."
    else:
        problem = "The request could not be read."
    return render(request, "400.html", {"problem": problem}, status=400)
