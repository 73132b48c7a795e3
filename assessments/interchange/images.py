"""Images embedded in question files: Moodle XML's base64 <file> elements, referenced from the
question text's HTML as @@PLUGINFILE@@/name, and data: URIs in HTML text (Moodle XML and GIFT
[html]). Pure: the bytes are only decoded here; whether they are a real, acceptable image is
decided by Wagtail's own image validation (assessments.question_import.services), and nothing is stored
until the editor confirms.

One image per question: the first embedded image of the question text is imported and shown
beside the text; any other is named in the preview and left as its alt text in brackets.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

PLUGINFILE = "@@PLUGINFILE@@/"
_DATA_URI = re.compile(r"data:(image/[a-z0-9.+-]+);base64,(.*)", re.IGNORECASE | re.DOTALL)
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp", "image/avif": "avif"}


@dataclass(frozen=True)
class EmbeddedImage:
    """An image's bytes as found in a file, its file name and its description (alt text)."""

    name: str
    alt: str
    data: bytes = field(repr=False)

    @property
    def sha1(self) -> str:
        """The same hash Wagtail keeps as Image.file_hash: a re-import finds the image already stored."""
        return hashlib.sha1(self.data).hexdigest()  # noqa: S324 (a content fingerprint, as Wagtail's)


class ImageError(ValueError):
    """An embedded image that cannot be read (bad base64, a reference to a file not in the question)."""


def decode_base64(text: str, name: str) -> bytes:
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ImageError(f"The image “{name}” is not valid base64.") from None
    if not data:
        raise ImageError(f"The image “{name}” is empty.")
    return data


def display_name(src: str) -> str:
    if src.startswith(PLUGINFILE):
        return unquote(src[len(PLUGINFILE):])
    if src.lower().startswith("data:"):
        return "an image written into the text (data: URI)"
    return src


def embedded_image(src: str, alt: str, files: dict[str, str], number: int = 1) -> EmbeddedImage | None:
    """The image an <img src> refers to, if it is carried in the file itself: a @@PLUGINFILE@@ name
    among `files` (name -> base64) or a base64 data: URI. None for images elsewhere (web addresses).
    An image without alt text is described by its file name (the preview says so)."""
    if src.startswith(PLUGINFILE):
        name = display_name(src)
        if name not in files:
            raise ImageError(f"The image “{name}” is referred to but not included in the file (no <file name=\"{name}\">).")
        return EmbeddedImage(name=name, alt=alt or name, data=decode_base64(files[name], name))
    match = _DATA_URI.fullmatch(src.strip())
    if match:
        mime = match.group(1).lower()
        name = f"image-{number}.{_EXTENSIONS.get(mime, mime.split('/')[-1])}"
        return EmbeddedImage(name=name, alt=alt or name, data=decode_base64(match.group(2), name))
    return None


def encode_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
