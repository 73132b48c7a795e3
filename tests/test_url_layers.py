"""No URL name crosses upwards: code and templates of a layer reverse only URL names defined in
their own layer or a lower one (DESIGN.md: assessments/scoring -> training/people -> modules ->
assessments -> training/enrollment -> training/dashboards, with the project shell, training/urls.py
and the site-wide templates, on top). An upper layer passes links down instead (a Wagtail hook,
a context processor, a template tag of the app that owns the URL)."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from modules.models import LessonPage, QuizPage

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["assessments.scoring", "training.people", "modules", "assessments", "training.enrollment", "training.dashboards"]
SHELL = len(LAYERS)  # training/urls.py, training/*.py and the site-wide templates
TEMPLATE_LAYERS = {"modules": "modules", "assessments": "assessments", "people": "training.people",
                   "enrollment": "training.enrollment", "dashboards": "training.dashboards"}
REVERSED = [
    re.compile(r"""\b(?:reverse|reverse_lazy|redirect)\(\s*["']([\w:-]+)["']"""),
    re.compile(r"""\burl_name\s*=\s*["']([\w:-]+)["']"""),
    re.compile(r"""{%\s*url\s+["']([\w:-]+)["']"""),
]


def layer_of_module(module: str) -> int | None:
    """The layer of a dotted module name; None for code that is not ours (Wagtail, Django)."""
    if not module.startswith(("training", "modules", "assessments")):
        return None
    matches = [i for i, layer in enumerate(LAYERS) if module == layer or module.startswith(layer + ".")]
    return max(matches, key=lambda i: len(LAYERS[i])) if matches else SHELL


def layer_of_file(path: Path) -> int:
    parts = path.relative_to(ROOT).parts
    if parts[0] == "templates":
        return LAYERS.index(TEMPLATE_LAYERS[parts[1]]) if parts[1] in TEMPLATE_LAYERS else SHELL
    return layer_of_module(".".join(parts).removesuffix(".py"))


def url_name_layers() -> dict[str, int]:
    """Every named URL of ours -> the layer whose urls module defines it (a Wagtail hook's URLs:
    the layer of their view)."""
    found = {}

    def walk(patterns, module, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.urlconf_name
                inner = inner if isinstance(inner, str) else getattr(inner, "__name__", "")  # a list: its views tell
                walk(pattern.url_patterns, inner, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                layer = layer_of_module(module)
                if layer is None:  # registered through a hook into Wagtail's admin URLs
                    view = getattr(pattern.callback, "view_class", pattern.callback)
                    layer = layer_of_module(view.__module__)
                if layer is not None:
                    found.setdefault(namespace + pattern.name, layer)

    walk(get_resolver().url_patterns, "training.urls")
    return found


def reversals(path: Path):
    text = path.read_text()
    for pattern in REVERSED:
        for match in pattern.finditer(text):
            yield match.group(1), text.count("\n", 0, match.start()) + 1


def source_files():
    for top in ("assessments", "modules", "training"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path
    yield from (ROOT / "templates").rglob("*.html")
    yield from (ROOT / "templates").rglob("*.txt")


def test_the_url_map_knows_names_of_every_layer():
    layers = url_name_layers()
    assert layers["my_learning"] == LAYERS.index("training.dashboards")
    assert layers["academy_report_responses"] == LAYERS.index("training.dashboards")
    assert layers["assignment_create"] == LAYERS.index("training.enrollment")
    assert layers["attempt_take"] == LAYERS.index("assessments")
    assert layers["question_import"] == LAYERS.index("assessments")  # a Wagtail admin hook's URL
    assert layers["lesson_complete"] == LAYERS.index("modules")
    assert layers["healthz"] == SHELL
    assert layers["login"] == LAYERS.index("training.people")
    assert "admin:login" not in layers  # Django's admin: not ours


def test_no_layer_reverses_a_url_name_of_a_layer_above_it():
    layers = url_name_layers()
    crossings = []
    for path in source_files():
        here = layer_of_file(path)
        for name, line in reversals(path):
            if name in layers and layers[name] > here:
                owner = LAYERS[layers[name]] if layers[name] < SHELL else "the project shell"
                crossings.append(f"{path.relative_to(ROOT)}:{line} reverses {name!r}, defined in {owner}")
    assert not crossings, "\n".join(crossings)


def test_the_check_sees_a_crossing(tmp_path):
    """The scan itself works: lines naming URLs are found, and my_learning sits above assessments."""
    probe = tmp_path / "probe.html"
    probe.write_text("<a href=\"{% url 'my_learning' %}\">x</a>\nreverse('team') redirect(\"attempt_take\", 1)")
    assert list(reversals(probe)) == [("team", 2), ("attempt_take", 2), ("my_learning", 1)]
    layers = url_name_layers()
    assert layers["my_learning"] > layer_of_file(ROOT / "templates" / "assessments" / "attempt_take.html")
    assert layers["my_learning"] > layer_of_file(ROOT / "assessments" / "statistics" / "views.py")


@pytest.mark.parametrize(
    "name, args, path",
    [
        ("question_statistics", [], "/admin/reports/questions/"),
        ("question_statistics_quiz", [7], "/admin/reports/questions/7/"),
        ("certificate_verify", ["abc"], "/verify/abc/"),
        ("login", [], "/accounts/login/"),
        ("my_learning", [], "/learning/"),
    ],
)
def test_moved_url_definitions_keep_their_paths(name, args, path):
    assert reverse(name, args=args) == path  # bookmarks and printed QR codes keep working


def test_links_passed_down_reach_the_pages(employee_client, employee, course):
    """My learning (from the dashboards' context processor) and the attempt links (from
    assessments' template tags) on the lesson, quiz, attempt and result pages."""
    from assessments.attempts.services import attempt_start, attempt_submit

    lesson = LessonPage.objects.live().descendant_of(course).first()
    quiz = QuizPage.objects.live().descendant_of(course).first()
    page = employee_client.get(quiz.url).content.decode()
    assert f'action="/learning/quizzes/{quiz.pk}/start/"' in page
    finished = attempt_submit(attempt=attempt_start(employee=employee, quiz=quiz))
    open_attempt = attempt_start(employee=employee, quiz=quiz)
    page = employee_client.get(quiz.url).content.decode()
    assert page.count(f'href="/learning/attempts/{open_attempt.pk}/"') == 2  # "Resume attempt" and its row
    assert f'href="/learning/attempts/{finished.pk}/result/"' in page
    for url in (lesson.url, quiz.url, course.url, f"/learning/attempts/{open_attempt.pk}/", f"/learning/attempts/{finished.pk}/result/"):
        response = employee_client.get(url)
        assert response.status_code == 200, url
        assert '<a href="/learning/">My learning</a>' in response.content.decode(), url
