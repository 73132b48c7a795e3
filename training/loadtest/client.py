"""The load test's employees: an asyncio client that signs in and takes the final assessment as a
browser with quiz.js does. No Django import: it runs beside the server and stays lean.

Each employee reads the page it is shown (question tokens, kinds, revisions, choices) and answers
from an answer key by text (`AnswerKey`: what a well-prepared, or a badly prepared, employee would
pick), autosaves every answer with quiz.js's JSON body and revision rule, then goes on with the
form's own buttons (Save and next, Submit), which post every answer on the page with its revision.
"""

import asyncio
import html
import json
import random
import re
import time
from dataclasses import dataclass, field

import aiohttp

# An idle connection is closed after this many seconds, as nginx's upstream keepalive_timeout in
# deploy/nginx-academy.conf: before gunicorn's own `keepalive` closes it, so no request is sent on a
# connection the server is closing.
KEEPALIVE_SECONDS = 4

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELDSET = re.compile(r'<fieldset class="question[^"]*"([^>]*)>(.*?)</fieldset>', re.S)
DATA_ATTRIBUTE = re.compile(r'data-(question|kind|number|revision)="([^"]+)"')
SITUATION = re.compile(r'<p class="fst-italic">(.*?)</p>', re.S)
PROMPT = re.compile(r'<p class="question-prompt">(.*?)</p>', re.S)
CHOICE = re.compile(r'<input class="form-check-input" type="(?:radio|checkbox)" name="q-[^"]+" id="[^"]+" value="([^"]+)"[^>]*>\s*<label class="form-check-label" for="[^"]+">(.*?)</label>', re.S)
ITEM = re.compile(r'<li class="ordering-item[^"]*" data-item="([^"]+)">.*?<span class="flex-grow-1">(.*?)</span>', re.S)
MATCH_PROMPT = re.compile(r'<label class="col-sm-6 col-form-label" for="q-[^"]+-([^"]+)">(.*?)</label>\s*<div class="col-sm-6">\s*<select[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"[^>]*>(.*?)</option>', re.S)
AUTOSAVE_URL = re.compile(r'data-autosave-url="([^"]+)"')
TAG = re.compile(r"<[^>]+>")


def plain(fragment: str) -> str:
    """Text of an HTML fragment as the employee reads it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


@dataclass
class Question:
    """One question as its page shows it: the token, kind, revision shown and the public ids."""

    token: str
    kind: str
    number: int
    revision: int
    prompt: str
    choices: dict[str, str] = field(default_factory=dict)  # value -> text (radio, checkbox)
    items: dict[str, str] = field(default_factory=dict)  # ordering item id -> text
    prompts: dict[str, str] = field(default_factory=dict)  # matching prompt id -> text
    answers: dict[str, str] = field(default_factory=dict)  # matching answer id -> text


def questions_on_page(page: str) -> list[Question]:
    questions = []
    for attributes, body in FIELDSET.findall(page):
        data = dict(DATA_ATTRIBUTE.findall(attributes))
        token, kind, number, revision = data["question"], data["kind"], data["number"], data["revision"]
        prompt = plain(PROMPT.search(body).group(1))
        if kind == "scenario":  # the answer key names a scenario by its situation too
            prompt = f"{plain(SITUATION.search(body).group(1))} | {prompt}"
        question = Question(token, kind, int(number), int(revision), prompt)
        question.choices = {value: plain(text) for value, text in CHOICE.findall(body)}
        question.items = {item: plain(text) for item, text in ITEM.findall(body)}
        for prompt_id, text, options in MATCH_PROMPT.findall(body):
            question.prompts[prompt_id] = plain(text)
            question.answers.update({value: plain(label) for value, label in OPTION.findall(options)})
        questions.append(question)
    return questions


class AnswerKey:
    """{prompt text: right answer in texts} (see `answer_key` in training/loadtest/setup.py) ->
    the page's answer for a question, in its tokens, right or wrong as asked."""

    def __init__(self, key: dict):
        self.key = key

    def answer(self, q: Question, *, right: bool):
        kind, key = q.kind, self.key[q.prompt]
        by_text = {text: value for value, text in q.choices.items()}
        if kind in ("single_choice", "scenario"):
            if right:
                return by_text[key]
            return next(value for value, text in q.choices.items() if text != key)
        if kind == "multiple_choice":
            if right:
                return [by_text[text] for text in key]
            return [next(value for value, text in q.choices.items() if text not in key)] if len(key) < len(q.choices) else []
        if kind == "true_false":
            return "true" if key == right else "false"
        if kind == "numeric":
            return key if right else str(-1 - abs(float(key)) * 3)
        if kind == "short_text":
            return key if right else "I am not sure"
        if kind == "ordering":
            by_item_text = {text: item for item, text in q.items.items()}
            order = [by_item_text[text] for text in key]
            return order if right else order[::-1]
        if kind == "matching":
            answer_by_text = {text: answer for answer, text in q.answers.items()}
            pairs = {prompt: answer_by_text[key[text]] for prompt, text in q.prompts.items()}
            if right:
                return pairs
            values = list(pairs.values())
            return dict(zip(pairs, values[1:] + values[:1]))
        return "A thoughtful written answer."


def form_fields(q: Question, answer, revision: int) -> list[tuple[str, str]]:
    """The attempt form's fields for one answered question, as the browser posts them."""
    name = f"q-{q.token}"
    if q.kind == "multiple_choice":
        fields = [(name, value) for value in answer]
    elif q.kind == "ordering":
        fields = [(f"{name}-{item}", str(position)) for position, item in enumerate(answer, 1)]
    elif q.kind == "matching":
        fields = [(f"{name}-{prompt}", chosen) for prompt, chosen in answer.items()]
    else:
        fields = [(name, answer)]
    return fields + [(f"r-{q.token}", str(revision))]


class Stats:
    """Per-step timings (ms) and errors; every response's end time, for requests per second."""

    def __init__(self):
        self.timings: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}
        self.ends: list[float] = []

    def record(self, step: str, started: float, error: str | None = None):
        ended = time.perf_counter()
        self.timings.setdefault(step, []).append((ended - started) * 1000)
        self.ends.append(ended)
        if error:
            self.errors.setdefault(step, []).append(error)


class StepFailed(Exception):
    pass


class Connections:
    """How many TCP connections the client opened (an aiohttp trace): far fewer than its requests
    when the server keeps them open between requests."""

    def __init__(self):
        self.opened = 0
        self.trace = aiohttp.TraceConfig()
        self.trace.on_connection_create_end.append(self._count)

    async def _count(self, session, context, params):
        self.opened += 1


class Employee:
    """One simulated employee with its own cookies (session, CSRF)."""

    def __init__(self, base: str, username: str, password: str, connector, stats: Stats, timeout: float, connections: Connections):
        self.base, self.username, self.password, self.stats = base, username, password, stats
        self.http = aiohttp.ClientSession(
            base, connector=connector, connector_owner=False, cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=timeout), trace_configs=[connections.trace],
        )
        self.saved: dict[str, tuple[object, int]] = {}  # token -> (answer, revision) the server confirmed
        self.attempt_url = ""
        self.first_page_done = 0.0
        self.finished = 0.0

    async def close(self):
        await self.http.close()

    def csrf(self) -> str:
        cookie = self.http.cookie_jar.filter_cookies(self.http._base_url).get("csrftoken")
        return cookie.value if cookie else ""

    async def request(self, step: str, method: str, url: str, *, expect: int, location: str | None = None, **kwargs):
        """One request, timed and checked: the status (and a redirect's target) must be as expected."""
        started = time.perf_counter()
        try:
            async with self.http.request(method, url, allow_redirects=False, **kwargs) as response:
                body = await response.text()
                problem = None
                if response.status != expect:
                    problem = f"{method} {url}: {response.status}, expected {expect}"
                elif location is not None and not re.search(location, response.headers.get("Location", "")):
                    problem = f"{method} {url}: redirected to {response.headers.get('Location')!r}, expected {location!r}"
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            problem, body, response = f"{method} {url}: {type(error).__name__} {error}", "", None
        self.stats.record(step, started, problem)
        if problem:
            raise StepFailed(problem)
        return response, body

    async def sign_in(self, step: str = "sign in", ready: asyncio.Event | None = None, arrived=None):
        """The real login form: GET for the CSRF token, then POST (at `ready`, for a burst)."""
        _, page = await self.request("login page", "GET", "/accounts/login/", expect=200)
        token = CSRF_INPUT.search(page).group(1)
        if ready is not None:
            arrived()
            await ready.wait()
        form = {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password, "next": ""}
        await self.request(step, "POST", "/accounts/login/", data=form, expect=302, location=r"/learning/")

    async def take_quiz(self, quiz_url: str, quiz_id: int, key: AnswerKey, *, right: bool, think, go: asyncio.Event, arrived):
        """Open the quiz (after a think time, so openings spread out), start with everyone at `go`,
        answer every question, submit, read the result."""
        await asyncio.sleep(think())
        _, page = await self.request("open quiz", "GET", quiz_url, expect=200)
        token = CSRF_INPUT.search(page).group(1)
        arrived()
        await go.wait()
        response, _ = await self.request("start", "POST", f"/learning/quizzes/{quiz_id}/start/",
                                         data={"csrfmiddlewaretoken": token}, expect=302, location=r"/learning/attempts/\d+/$")
        self.attempt_url = response.headers["Location"]
        _, page = await self.request("first question", "GET", self.attempt_url, expect=200)
        self.first_page_done = time.perf_counter()
        while True:
            questions = questions_on_page(page)
            if len(questions) != 1:
                raise StepFailed(f"{self.attempt_url}: {len(questions)} questions on a one-per-page quiz page")
            q = questions[0]
            total = int(re.search(r'data-total="(\d+)"', page).group(1))
            await asyncio.sleep(think())
            answer = key.answer(q, right=right)
            revision = max(int(time.time() * 1000), q.revision + 1)  # quiz.js: touch()
            autosave = AUTOSAVE_URL.search(page).group(1)
            _, body = await self.request("autosave", "POST", autosave, expect=200,
                                         data=json.dumps({"answers": {q.token: answer}, "revisions": {q.token: revision}}),
                                         headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf()})
            reply = json.loads(body)
            if q.token not in reply.get("saved", []) or reply.get("stale"):
                self.stats.errors.setdefault("autosave", []).append(f"{autosave}: not saved: {body[:200]}")
            self.saved[q.token] = (answer, revision)
            last = q.number == total
            if last:
                await asyncio.sleep(think())  # a look over the answers before submitting
            fields = [("csrfmiddlewaretoken", self.csrf()), *form_fields(q, answer, revision),
                      ("action", "submit" if last else "next")]
            if last:
                await self.request("submit", "POST", f"{self.attempt_url}?q={q.number}", data=fields, expect=302,
                                   location=r"/result/$")
                await self.request("result", "GET", f"{self.attempt_url}result/", expect=200)
                self.finished = time.perf_counter()
                return
            await self.request("save and next", "POST", f"{self.attempt_url}?q={q.number}", data=fields, expect=302,
                               location=rf"\?q={q.number + 1}$")
            _, page = await self.request("question page", "GET", f"{self.attempt_url}?q={q.number + 1}", expect=200)


def think_time(low: float, high: float, rng: random.Random):
    return lambda: rng.uniform(low, high) if high > 0 else 0
