"""The question file formats on their own (no database): Moodle's GIFT fixtures read as Moodle's
GIFT documentation says, a malformed corpus per format refused item by item with line and reason,
whole files refused when unreadable, and round trips through each writer."""

from decimal import Decimal
from pathlib import Path

import pytest

from assessments import scoring
from assessments.interchange import (
    AIKEN, GIFT, MAX_BYTES, MOODLE_XML, UnreadableFile, decode, detect_format, parse, write,
)
from assessments.interchange.text import html_to_text

MOODLE_GIFT = Path("/work/shared/fixtures/moodle-gift")
FILES = Path(__file__).parent / "interchange_files"


def read(path: Path, fmt=None):
    return parse(decode(path.read_bytes()), fmt)


def by_line(result):
    return {q.where.split(" (")[0]: q for q in result.questions}


def key(spec):
    """What each question asks and its answer key, compactly."""
    if isinstance(spec, (scoring.SingleChoice, scoring.MultipleChoice)):
        return [(c.text, c.correct) for c in spec.choices]
    if isinstance(spec, scoring.ScenarioJudgement):
        return [(o.text, o.points) for o in spec.options]
    if isinstance(spec, scoring.Numeric):
        return (spec.answer, spec.tolerance)
    if isinstance(spec, scoring.ShortText):
        return list(spec.accepted)
    if isinstance(spec, scoring.Matching):
        return [(p.prompt, p.answer) for p in spec.pairs]
    if isinstance(spec, scoring.TrueFalse):
        return spec.answer
    return None


# --- Moodle's own GIFT files -----------------------------------------------------------------------


def test_moodle_examples_file_reads_every_construct_of_the_gift_documentation():
    result = read(MOODLE_GIFT / "examples.txt")
    assert result.refusals == [] and result.notes == []
    assert len(result.questions) == 43
    q = by_line(result)
    # Multiple choice, one right answer; missing word: the answer's place becomes "_____".
    assert q["line 8"].spec.kind == "single_choice" and key(q["line 8"].spec) == [("Grant", False), ("Jefferson", False), ("no one", True)]
    assert q["line 10"].spec.prompt == "Grant is _____ in Grant's tomb."
    # True/false in all spellings.
    assert [q[line].spec.answer for line in ("line 12", "line 49", "line 51")] == [False, False, True]
    # Short answer with several accepted answers.
    assert key(q["line 14"].spec) == ["no one", "nobody"]
    assert q["line 45"].spec.prompt == "Two plus two equals _____." and key(q["line 45"].spec) == ["four", "4"]
    # Numeric: tolerance, exact, range, several weighted answers (the 100% one is kept, the 50% noted).
    assert key(q["line 16"].spec) == ("1822", "1")
    assert key(q["line 70"].spec) == ("1822", "0")
    assert key(q["line 72"].spec) == ("3.1415", "0.0005")
    assert key(q["line 74"].spec) == ("3.1415", "0.0005")  # {#3.141..3.142}: the middle, ± half the range
    assert key(q["line 76"].spec) == ("1822", "0") and "The 50% answer 1822 ± 2 is not imported" in q["line 76"].notes[0]
    # Matching.
    assert key(q["line 61"].spec) == [("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo"), ("India", "New Delhi")]
    assert key(q["line 177"].spec) == [("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo")]
    # Titles and answer feedback.
    assert q["line 90"].title == "Kanji Origins"
    assert [c.feedback for c in q["line 98"].spec.choices] == [
        "feedback comment on the wrong answer", "feedback comment on this wrong answer", "Very good!"]
    # True/false feedback: the first # is for a wrong answer (here "true").
    assert q["line 113"].spec.feedback_true == "No one is buried in Grant's tomb."
    # Percentage weights with one answer picked: each answer earns its share (a scenario judgement).
    assert key(q["line 115"].spec) == [("wrong answer", "0"), ("half credit answer", "0.5"), ("full credit answer", "1")]
    assert key(q["line 117"].spec) == [("Jerusalem", "0"), ("Bethlehem", "0.25"), ("Galilee", "0.5"), ("Nazareth", "1")]
    # Weighted short answers: only the 100% ones are accepted, the others are named in a note.
    assert key(q["line 123"].spec) == ["Nazareth"]
    assert any("The 75% answer “Nazereth” is not imported" in n for n in q["line 123"].notes)
    # Multiple answers: weights 50/50 with 0 or -50 for the wrong ones.
    assert q["line 130"].spec.kind == "multiple_choice" and key(q["line 130"].spec) == [
        ("No one", False), ("Grant", True), ("Grant's wife", True), ("Grant's father", False)]
    assert q["line 130"].notes and not q["line 136"].notes  # -50% on wrong picks is exactly our rule
    # Escapes.
    assert [c.text for c in q["line 143"].spec.choices] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = q["line 148"].spec
    assert [c.text for c in control.choices] == ["~", "=", "#", "{", "}", "\\"] and control.choices[5].correct
    # [markdown] text is kept as written.
    assert q["line 108"].spec.prompt == "Who's buried in **Grant's tomb**?"


def test_moodle_questions_fixture_reads_essay_matching_weights_ranges_and_feedback():
    result = read(MOODLE_GIFT / "questions.gift.txt")
    assert result.refusals == []
    kinds = [(q.title, q.spec.kind) for q in result.questions]
    assert kinds == [
        ("Q8", "written"), ("Moodle activities", "matching"), ("Q2", "single_choice"), ("colours", "multiple_choice"),
        ("Q5", "numeric"), ("Shortanswer", "short_text"), ("Q1", "true_false"), ("2-08 TSL", "true_false"), ("2-08 TSL", "true_false"),
    ]
    q = {q.title: q for q in result.questions}
    # [html] prompt and subquestions: tags removed; the answer without a prompt is a distractor (noted).
    activities = q["Moodle activities"]
    assert activities.spec.prompt == "Match the activity to the description."
    assert [p.answer for p in activities.spec.pairs] == ["Forum", "Choice", "Database", "Wiki"]
    assert any("“Chat” (a distractor)" in n for n in activities.notes)
    assert [c.feedback for c in q["Q2"].spec.choices] == ["right; good!", "wrong, it's yellow", "wrong, it's yellow"]
    # Negative weights: two right at 50%, two wrong at -100% (our rule takes 50% per wrong pick: noted).
    assert key(q["colours"].spec) == [("yellow", True), ("red", False), ("off-beige", True), ("blue", False)]
    assert "each wrong pick takes 1/2 off" in q["colours"].notes[0]
    # Numeric {#3:2~#Completely wrong}: 3 ± 2, the catch-all feedback noted; the stray `";` makes it missing-word.
    assert key(q["Q5"].spec) == ("3", "2") and q["Q5"].spec.prompt == 'What is a number from 1 to 5? _____";'
    assert key(q["Shortanswer"].spec) == ["Frog"] and len(q["Shortanswer"].notes) == 3
    # True/false with wrong and right feedback and general feedback (####).
    tf = q["Q1"].spec
    assert (tf.answer, tf.feedback_true, tf.feedback_false) == (False, "42 is the Ultimate Answer.", "You gave the right answer.")
    assert tf.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."


def test_moodle_category_fixture_reports_the_category_and_reads_escaped_html():
    result = read(MOODLE_GIFT / "questions_in_category.gift.txt")
    assert [str(n) for n in result.notes] == [
        "line 2: Category “$course$/Default for New Features” is not stored (questions go into this quiz's pool): the preview shows it on the questions that follow."
    ]
    q = {q.title: q for q in result.questions}
    assert {question.category for question in result.questions} == {"$course$/Default for New Features"}
    assert list(q) == ["Moodle activities", "Greeting", "Moodle user", "Moodle acronym"]
    assert q["Greeting"].spec.prompt == "Listen to this greeting:\n\nWhat language is being spoken?"
    assert key(q["Greeting"].spec) == [("English", False), ("French", True), ("German", False), ("Spanish", False)]
    assert key(q["Moodle user"].spec) == ["Moodler"]
    assert q["Moodle acronym"].spec.prompt == "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."
    assert q["Moodle acronym"].spec.answer is True


def test_gift_descriptions_and_essays():
    result = parse("Just some information for the reader.\n\n::E::Write about loyalty.{}\n\nQ?{####Because.}\n", GIFT)
    assert [str(n) for n in result.notes] == ["line 1: A description, not a question: not imported."]
    assert [(q.spec.kind, q.spec.explanation) for q in result.questions] == [("written", ""), ("written", "Because.")]


# --- the Moodle XML sample -------------------------------------------------------------------------


def test_moodle_xml_sample_reads_every_type_with_points_html_and_units():
    result = read(FILES / "moodle_sample.xml")
    assert result.refusals == []
    assert [n.reason.split(":")[0] for n in result.notes] == ["Category “$course$/Loyalty/Basics” is not stored (questions go into this quiz's pool)", "A description, not a question"]
    q = {item.title: item for item in result.questions}
    card = q["Report card"]
    assert card.spec.prompt == "On a report card, what grade is a merely satisfied customer?"  # the image is shown beside it
    assert (card.image.name, card.image.alt, card.image.data[:8]) == ("card.png", "A report card", b"\x89PNG\r\n\x1a\n")
    assert card.spec.points == "2" and card.spec.explanation == "Satisfied is average: a C."
    assert key(card.spec) == [("A", False), ("C", True), ("F", False)]
    assert not any("card.png" in n for n in card.notes)
    assert (q["Loyal behaviours"].spec.kind, q["Loyal behaviours"].spec.points, q["Loyal behaviours"].notes) == ("multiple_choice", "3", ())
    soup = q["Cold soup"].spec
    assert (soup.kind, soup.situation, soup.prompt) == ("scenario", "A regular's soup arrives cold.", "What do you do?")
    assert key(soup) == [("Replace it at once", "2"), ("Offer a discount", "1"), ("Explain the kitchen is busy", "0")]
    assert q["Points cards"].spec.feedback_true == "They reward visits, not loyalty."
    assert key(q["Model"].spec) == ["partnership model", "partnership"]
    numeric = q["Yearly value"].spec
    assert (numeric.answer, numeric.tolerance, numeric.unit) == ("2600", "10", "$")
    assert key(q["Figures"].spec) == [("Satisfied, per year", "$200"), ("Loyal, per year", "$2,600")]
    assert (q["Random act"].spec.points, q["Random act"].spec.guidance) == ("5", "A concrete act, a customer, a date.")
    assert [i.text for i in q["Steps"].spec.items] == ["Goal", "Behaviours", "Program"]


def test_ordering_answers_follow_their_position_not_file_order():
    xml = """<quiz><question type="ordering"><questiontext><text>Order</text></questiontext>
    <answer fraction="2"><text>Second</text></answer><answer fraction="1"><text>First</text></answer>
    <answer fraction="3"><text>Third</text></answer></question></quiz>"""
    assert [i.text for i in parse(xml, MOODLE_XML).questions[0].spec.items] == ["First", "Second", "Third"]


# --- the malformed corpus ----------------------------------------------------------------------------

MALFORMED = {
    "unclosed_brace.gift": [("line 3", "The answers' “{” is not closed by a “}”.")],
    "unclosed_title.gift": [("line 2", "The title has no closing “::”.")],
    "not_a_number.gift": [("line 1", "“eighteen22” is not a number (write {#answer}, {#answer:tolerance} or {#low..high}).")],
    "backwards_range.gift": [("line 1", "“5..1” is not a numeric range (low..high).")],
    "pair_without_arrow.gift": [("line 1", "The matching pair “Italy” has no “->”.")],
    "no_full_credit.gift": [("line 1", "No short answer gets full credit (100%).")],
    "two_answer_sets.gift": [("line 1", "A question may have one set of answers in braces; escape other braces as \\{ \\}.")],
    "stray_brace.gift": [("line 3", "There is a “}” without its “{”.")],
    "answer_without_mark.gift": [("line 1", "The answer “Paris” starts with neither “=” nor “~”.")],
    "problems.aiken.txt": [
        ("line 4", "“ANSWER: C” names no choice of this question (its choices are A, B)."),
        ("line 6", "The choice “A) A choice with no question” comes before any question text."),
        ("line 11", "The question at line 9 has 1 choice(s); it needs at least two (“A) …”)."),
        ("line 15", "Choice “C” is out of order: “B” was expected."),
        ("line 21", "“This line is neither a choice nor an answer” is neither a choice (“A) …”) nor an “ANSWER:” line."),
        ("line 29", "The file ends before this question's “ANSWER:” line."),
    ],
    "bad_questions.xml": [
        ("<question> 1 (type “truefalse”, “No right answer”)", "Neither “true” nor “false” gets full credit (fraction 100)."),
        ("<question> 2 (type “numerical”, “Not a number”)", "The numeric answer “a dozen” (tolerance “0”) is not a number."),
        ("<question> 3 (type “calculated”, “Formula”)", "Moodle's “calculated” questions have no counterpart here."),
        ("<question> 4 (type “multichoice”, “Bad fraction”)", "The answer fraction “lots” is not a number."),
        ("<question> 5 (type “shortanswer”, “Nothing right”)", "No short answer gets full credit (fraction 100)."),
        ("<question> 6 (type “essay”, “Negative grade”)", "<defaultgrade> “-2” is not a number of points."),
    ],
}
# Good questions around the bad ones are still read (and, with --skip-invalid, imported).
STILL_READ = {"unclosed_brace.gift": 1, "stray_brace.gift": 1, "problems.aiken.txt": 1, "bad_questions.xml": 1}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_each_malformed_item_is_refused_with_its_line_and_reason(name):
    result = read(FILES / "malformed" / name)
    assert [(r.where, r.reason) for r in result.refusals] == MALFORMED[name]
    assert len(result.questions) == STILL_READ.get(name, 0)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_well_formed.xml", "The XML is not well-formed: line 5, column 3."),
        ("external_entity.xml", "The XML declares a DTD or entities, which are refused"),
        ("billion_laughs.xml", "The XML declares a DTD or entities, which are refused"),
        ("wrong_root.xml", "This is not Moodle XML: the root element is <questions>, not <quiz>."),
    ],
)
def test_unsafe_or_broken_xml_refuses_the_whole_file(name, message):
    with pytest.raises(UnreadableFile, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(FILES / "malformed" / name)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b" \n\t\n", "The file is empty."),
        ("Caf\u00e9?{T}".encode("latin-1"), "The file is not UTF-8 text (byte 4 cannot be read)"),
        ("Q?{T}".encode("utf-16"), "The file is not UTF-8 text"),
        (b"Q?\x00{T}", "The file is not a text file"),
        (b"x" * (MAX_BYTES + 1), "the limit is 2 MB"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(data, message):
    with pytest.raises(UnreadableFile, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode(data)


def test_decode_accepts_a_byte_order_mark_and_windows_line_ends():
    assert decode("\ufeffQ?{T}\r\n".encode("utf-8")) == "Q?{T}\n"


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("<?xml version='1.0'?><quiz/>", MOODLE_XML), ("Q?\nA) x\nB) y\nANSWER: A\n", AIKEN), ("Q?{T}", GIFT), ("// c\nQ?{=a}\nANSWER: A", GIFT)],
)
def test_format_detection(text, fmt):
    assert detect_format(text) == fmt


def test_html_becomes_plain_text():
    assert html_to_text("<p>One &amp; <b>two</b>\nwrapped</p><p>Three<br>four</p><script>x()</script>")[0] == "One & two wrapped\n\nThree\nfour"


# --- round trips ----------------------------------------------------------------------------------

C = scoring.Choice
EVERY = [
    scoring.SingleChoice(id="", prompt="Grade? {of} a = ~ # customer:", points="1", explanation="Because.",
                         choices=(C("0", "A", False, "no"), C("1", "C", True, "yes \\ really"), C("2", "F"))),
    scoring.MultipleChoice(id="", prompt="Loyal customers…", points="1", choices=(C("0", "Return", True), C("1", "Brag", True), C("2", "Leave", False, "no"))),
    scoring.MultipleChoice(id="", prompt="Three right", points="1", choices=(C("0", "a", True), C("1", "b", True), C("2", "c", True), C("3", "d"))),
    scoring.TrueFalse(id="", prompt="Points cards are loyalty.\nSecond line.", answer=False, feedback_true="No.", feedback_false="Yes."),
    scoring.TrueFalse(id="", prompt="True?", answer=True, feedback_false="Wrong."),
    scoring.Numeric(id="", prompt="Per year?", answer="2600.5", tolerance="0.25"),
    scoring.ShortText(id="", prompt="Model?", accepted=("partnership model", "partnership")),
    scoring.Matching(id="", prompt="Match.", pairs=(scoring.Pair("0", "Satisfied", "a0", "$200"), scoring.Pair("1", "Loyal", "a1", "$2,600"))),
    scoring.ScenarioJudgement(id="", prompt="What do you do?", situation="Soup is cold.", options=(
        scoring.Option("0", "Replace it", "1", "Good"), scoring.Option("1", "Ask the chef", "0.5"), scoring.Option("2", "Argue", "0"))),
    scoring.Written(id="", prompt="Describe an act.", explanation="Think of a regular."),
]
XML_ONLY = [
    scoring.Numeric(id="", prompt="Per year?", points="2.5", answer="2600", tolerance="0", unit="$"),
    scoring.Ordering(id="", prompt="Order.", points="3", items=(scoring.Item("0", "Goal"), scoring.Item("1", "Behaviours"), scoring.Item("2", "Program"))),
    scoring.Written(id="", prompt="Describe.", points="4", guidance="A date and a name."),
    scoring.ScenarioJudgement(id="", prompt="What now?", situation="A regular waits.", options=(
        scoring.Option("0", "Greet them", "3"), scoring.Option("1", "Wait", "1.5"))),
]


@pytest.mark.parametrize(("fmt", "specs"), [(GIFT, EVERY), (MOODLE_XML, EVERY + XML_ONLY), (AIKEN, [EVERY[0].__class__(
    id="", prompt="Grade?", choices=(C("0", "A"), C("1", "C", True)))])])
def test_round_trip_yields_the_same_specs(fmt, specs):
    export = write(specs, fmt)
    assert export.notes == []
    result = parse(export.text, fmt)
    assert result.refusals == []
    assert [q.spec for q in result.questions] == specs


def test_writers_name_what_they_cannot_carry():
    gift = write([XML_ONLY[1], XML_ONLY[0], scoring.MultipleChoice(id="", prompt="All?", all_or_nothing=True, choices=(C("0", "a", True), C("1", "b")))], GIFT)
    assert gift.notes == [
        "Question 1: ordering questions cannot be written in GIFT; not exported.",
        "Question 2: the unit “$” cannot be written in GIFT.",
        "Question 2: GIFT has no points; it is worth 2.5 here and 1 once imported.",
        "Question 3: all-or-nothing scoring cannot be written in GIFT; it is exported with partial credit.",
    ]
    assert "Order." not in gift.text
    aiken = write([EVERY[3]], AIKEN)
    assert aiken.notes == ["Question 1: Aiken holds single-choice questions only (up to 26 choices); not exported."]


def test_scenario_weights_in_gift_keep_each_responses_share():
    spec = parse("Pick.{=Best ~%50%Half ~%-25%Bad}", GIFT).questions[0].spec
    assert [o.points for o in spec.options] == ["1", "0.5", "0"]
    assert Decimal(spec.max_points.numerator) == 1


# --- embedded images and categories ---------------------------------------------------------------

PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4zwAAAwEBABjdjbAAAAAASUVORK5CYII="


def _xml_question(html, files="", answers='<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'):
    return f'<quiz><question type="truefalse"><name><text>T</text></name><questiontext format="html"><text><![CDATA[{html}]]></text>{files}</questiontext>{answers}</question></quiz>'


def test_moodle_xml_keeps_the_first_embedded_image_and_names_the_others():
    files = "".join(f'<file name="{n}" path="/" encoding="base64">{PIXEL}</file>' for n in ("a b.png", "c.png"))
    html = '<p>Look.</p><img src="@@PLUGINFILE@@/a%20b.png" alt="First"><img src="@@PLUGINFILE@@/c.png" alt="Second"><img src="https://example.com/x.png" alt="Web">'
    (question,) = parse(_xml_question(html, files), MOODLE_XML).questions
    assert (question.image.name, question.image.alt) == ("a b.png", "First")
    assert question.spec.prompt == "Look.\n[Second][Web]"  # the imported image is shown beside the text, the others keep their alt text
    assert "The image “c.png” is not imported: a question shows one image." in question.notes
    assert "The image “https://example.com/x.png” is not imported: a question shows one image." in question.notes


def test_moodle_xml_refuses_a_question_whose_image_is_missing_or_not_base64():
    missing = parse(_xml_question('<img src="@@PLUGINFILE@@/gone.png" alt="x">'), MOODLE_XML)
    assert [r.reason for r in missing.refusals] == ['The image “gone.png” is referred to but not included in the file (no <file name="gone.png">).']
    broken = parse(_xml_question('<img src="@@PLUGINFILE@@/a.png" alt="x">', '<file name="a.png" encoding="base64">%%%</file>'), MOODLE_XML)
    assert [r.reason for r in broken.refusals] == ["The image “a.png” is not valid base64."] and broken.questions == []


def test_images_in_answers_and_web_images_are_noted_not_imported():
    answers = '<answer fraction="100"><text>true</text><feedback><text><![CDATA[<img src="@@PLUGINFILE@@/f.png" alt="F">]]></text></feedback></answer><answer fraction="0"><text>false</text></answer>'
    (question,) = parse(_xml_question('<p>Q <img src="https://example.com/x.png"></p>', answers=answers), MOODLE_XML).questions
    assert question.image is None
    assert "The image “https://example.com/x.png” is not imported: only images included in the file are imported." in question.notes
    assert "The image “f.png” is not imported: only the question text shows an image." in question.notes


def test_moodle_xml_categories_go_with_the_questions_that_follow():
    category = '<question type="category"><category><text>$course$/{}</text></category></question>'
    body = _xml_question("Q1")[6:-7]
    xml = f"<quiz>{body}{category.format('A')}{body.replace('Q1', 'Q2')}{category.format('B')}{body.replace('Q1', 'Q3')}</quiz>"
    result = parse(xml, MOODLE_XML)
    assert [(q.spec.prompt, q.category) for q in result.questions] == [("Q1", ""), ("Q2", "$course$/A"), ("Q3", "$course$/B")]
    assert [n.where for n in result.notes] == ["<question> 2 (type “category”)", "<question> 4 (type “category”)"]


def test_gift_html_text_may_carry_one_data_uri_image():
    source = f'$CATEGORY: Loyalty/Cards\n\n[html]<p>Is this card enough?</p><img src="data:image/png;base64,{PIXEL}">{{F}}\n\n[html]Bad <img src="data:image/png;base64,@@">{{T}}\n'
    result = parse(source, GIFT)
    (question,) = result.questions
    assert question.spec.prompt == "Is this card enough?" and question.category == "Loyalty/Cards"
    assert (question.image.name, question.image.alt, question.image.data[:4]) == ("image-1.png", "image-1.png", b"\x89PNG")
    assert any("has no description (alt text)" in n for n in question.notes)
    assert [(r.where, r.reason) for r in result.refusals] == [("line 5", "The image “image-1.png” is not valid base64.")]
