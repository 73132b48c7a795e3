"""Text helpers shared by the formats: HTML to our plain question text, numbers, weights."""

from __future__ import annotations

import html
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

BLANK = "_____"  # where a missing-word question's answer goes, as Moodle writes it
_BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "blockquote"}


class _TextExtractor(HTMLParser):
    def __init__(self, omit: str | None = None):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags = 0
        self.images: list[tuple[str, str]] = []
        self._skip = 0
        self._omit = omit

    def handle_starttag(self, tag, attrs):
        self.tags += 1
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "img":
            src, alt = dict(attrs).get("src") or "", (dict(attrs).get("alt") or "").strip()
            self.images.append((src, alt))
            if alt and src != self._omit:
                self.parts.append(f"[{alt}]")
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data.replace("\n", " "))  # in HTML a line end in the source is a space


def html_to_text(markup: str, omit: str | None = None) -> tuple[str, bool, list[tuple[str, str]]]:
    """(plain text, whether markup was removed, (src, alt) of each img). Our prompts and choices are
    plain text: tags go, entities are decoded, paragraphs become blank-line separated, spaces
    collapse; an image leaves its alt text in brackets, except the one whose src is `omit` (the
    image imported with the question, shown beside the text)."""
    parser = _TextExtractor(omit)
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    plain = "\n\n".join(paragraphs)
    return plain, parser.tags > 0 or plain != html.unescape(markup).strip(), parser.images


def text_to_html(text: str) -> str:
    """Our plain text as HTML that html_to_text() reads back the same: paragraphs and line breaks."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join("<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs)


def number(value) -> str:
    """A decimal as a plain string without exponent or trailing zeros ('1.50' -> '1.5', '2E+1' -> '20')."""
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def parse_number(text: str) -> Decimal | None:
    try:
        d = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def split_situation(text: str) -> tuple[str, str]:
    """A scenario judgement's situation and prompt from one question text: the last paragraph is the
    prompt when there are several (how our exports write them), else a generic prompt."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) >= 2:
        return "\n\n".join(paragraphs[:-1]).strip(), paragraphs[-1].strip()
    return text.strip(), "Choose the best answer."


def join_situation(situation: str, prompt: str) -> str:
    return f"{situation}\n\n{prompt}"
