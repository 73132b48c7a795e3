"""Roster import: a clean file creates and updates people, every bad file is refused whole with
each problem's line and column, re-imports change nothing, deactivation keeps history, and the
command and the admin page report the same results."""

import io
import random
import re
from html import unescape as html_unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from modules.models import LessonCompletion, LessonPage
from tests.factories import EmployeeFactory
from training.people import roles
from training.people.management.commands.import_roster import Command as ImportRosterCommand
from training.people.models import Employee, Team
from training.people.roster import COLUMNS, PROBLEMS_LISTED, Deactivation, roster_check, roster_import

pytestmark = pytest.mark.django_db
User = get_user_model()

HEADER = ",".join(COLUMNS)
NORTH = "manager.north@academy.example"
SOUTH = "manager.south@academy.example"


def roster(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def snapshot() -> dict:
    """Everything an import could write, to show that a refused file wrote nothing."""
    return {
        "users": list(
            User.objects.order_by("pk").values_list("pk", "username", "email", "first_name", "last_name", "is_active")
        ),
        "employees": list(Employee.objects.order_by("pk").values_list("pk", "employee_number", "job_title", "team_id")),
        "teams": list(Team.objects.order_by("pk").values_list("pk", "name", "manager_id")),
        "memberships": User.groups.through.objects.count(),
        "groups": Group.objects.count(),
    }


def where(result) -> list[tuple[int, str]]:
    return [(problem.row, problem.column) for problem in result.problems]


CLEAN = roster(
    f"E0011,Amira Haddad-Smith,amira@academy.example,North store,{NORTH},Senior barista,yes",
    f"E0012,Ben Carter,ben@academy.example,North store,{NORTH},Cashier,YES",
    "E5000,Omar East,manager.east@academy.example,East store,,Store manager,",
    "E5001,Zoe Quinn,Zoe.Quinn@academy.example,East store,manager.east@academy.example,Barista,true",
    "E5002,Cher,cher@academy.example,East store,manager.east@academy.example,,0",
    '"E5003","Mary Ann Lee",mary@academy.example,"East store",manager.east@academy.example,"Host, weekends",1',
)


def test_a_clean_file_creates_and_updates_people_teams_and_roles():
    before = Employee.objects.count(), Team.objects.count()

    result = roster_import(data=CLEAN)

    assert result.problems == []
    counts = result.created, result.updated, result.unchanged, result.deactivated, result.teams_created
    assert counts == (4, 1, 1, 0, 1)
    assert (Employee.objects.count(), Team.objects.count()) == (before[0] + 4, before[1] + 1)
    amira = Employee.objects.get(employee_number="E0011")
    assert (amira.user.username, amira.user.last_name, amira.job_title) == ("amira", "Haddad-Smith", "Senior barista")
    zoe = Employee.objects.select_related("user", "team").get(employee_number="E5001")
    assert zoe.user.username == "zoe.quinn@academy.example" and zoe.user.email == "Zoe.Quinn@academy.example"
    assert not zoe.user.has_usable_password() and zoe.user.is_active and zoe.team.name == "East store"
    cher = Employee.objects.get(employee_number="E5002").user
    assert (cher.first_name, cher.last_name, cher.is_active) == ("Cher", "", False)
    mary = Employee.objects.get(employee_number="E5003")
    assert (mary.user.first_name, mary.user.last_name, mary.job_title) == ("Mary", "Ann Lee", "Host, weekends")
    east = Team.objects.get(name="East store")
    assert east.manager.employee_number == "E5000" and east.manager.team == east  # the head sits in their team
    assert set(zoe.user.groups.values_list("name", flat=True)) == {roles.EMPLOYEE}
    assert set(east.manager.user.groups.values_list("name", flat=True)) == {roles.EMPLOYEE, roles.MANAGER}
    assert Team.objects.get(name="North store").manager.user.username == "manager.north"


def test_a_utf8_bom_is_accepted():
    result = roster_import(data=b"\xef\xbb\xbf" + CLEAN)
    assert result.problems == [] and result.created == 4


def test_importing_the_same_file_again_changes_nothing():
    roster_import(data=CLEAN)
    before = snapshot()

    result = roster_import(data=CLEAN)

    assert (result.created, result.updated, result.deactivated, result.teams_created) == (0, 0, 0, 0)
    assert result.unchanged == 6 and result.problems == []
    assert snapshot() == before


def test_progress_is_reported_about_every_hundred_rows():
    rows = [f"E6{n:03d},Person {n},p{n}@academy.example,North store,{NORTH},," for n in range(250)]
    calls = []

    roster_check(data=roster(*rows), progress=lambda done, total: calls.append((done, total)))

    assert calls == [(100, 250), (200, 250), (250, 250)]


def test_a_dry_run_counts_but_writes_nothing():
    before = snapshot()
    result = roster_check(data=CLEAN)
    assert (result.created, result.updated, result.unchanged, result.teams_created) == (4, 1, 1, 1)
    assert snapshot() == before


# --- bad files: every problem named by line and column, nothing written ------------------------

NEW = "E5001,Zoe Quinn,zoe@academy.example,North store,{manager},Barista,yes"
BAD_FILES = {
    "not UTF-8 (Latin-1 name)": (
        roster(NEW.format(manager=NORTH)).replace(b"Zoe", "Zoë".encode("latin-1")),
        [(2, "name")],
        "0xEB",
    ),
    "semicolons": (
        roster("E5001;Zoe Quinn;zoe@academy.example;North store;;;", header=HEADER.replace(",", ";")),
        [(1, "")],
        "use commas",
    ),
    "tabs": (roster("E5001\tZoe", header=HEADER.replace(",", "\t")), [(1, "")], "use commas"),
    "missing and unknown columns": (
        roster("E5001,Zoe Quinn,zoe@academy.example,North store,,,Sales",
               header=HEADER.replace("active", "department")),
        [(1, "department"), (1, "active")],
        "unknown column “department”",
    ),
    "column name in the wrong case": (
        roster("E5001,Zoe Quinn,zoe@academy.example,North store,,,", header=HEADER.replace("email", "Email", 1)),
        [(1, "Email"), (1, "email")],
        "write it exactly as “email”",
    ),
    "empty required fields": (
        roster(",,,,,Barista,yes"),
        [(2, "employee_number"), (2, "name"), (2, "email"), (2, "team")],
        "required",
    ),
    "malformed emails": (
        roster("E5001,Zoe Quinn,zoe@,North store,north@,,yes"),
        [(2, "email"), (2, "manager_email")],
        "not a valid email address",
    ),
    "duplicate employee number": (
        roster(NEW.format(manager=NORTH), f"E5001,Zed Quinn,zed@academy.example,North store,{NORTH},,"),
        [(3, "employee_number")],
        "also on line 2",
    ),
    "duplicate email, in another case": (
        roster(NEW.format(manager=NORTH), f"E5002,Zed Quinn,ZOE@academy.example,North store,{NORTH},,"),
        [(3, "email")],
        "also on line 2",
    ),
    "email of another existing employee": (
        roster(f"E5001,Zoe Quinn,amira@academy.example,North store,{NORTH},,"),
        [(2, "email")],
        "already belongs to employee E0011 (Amira Haddad)",
    ),
    "email of a login without an employee record": (
        roster(f"E5001,Zoe Quinn,editor@academy.example,North store,{NORTH},,"),
        [(2, "email")],
        "“editor”",
    ),
    "unknown manager": (
        roster(NEW.format(manager="nobody@academy.example")),
        [(2, "manager_email")],
        "unknown manager nobody@academy.example",
    ),
    "one team, two managers": (
        roster(NEW.format(manager=NORTH), f"E5002,Zed Quinn,zed@academy.example,North store,{SOUTH},,"),
        [(3, "manager_email")],
        "a team has one manager",
    ),
    "two people managing each other": (
        roster(
            "E5001,Ann Able,ann@academy.example,Alpha,bo@academy.example,,",
            "E5002,Bo Baker,bo@academy.example,Beta,ann@academy.example,,",
        ),
        [(2, "manager_email")],
        "manager loop: Ann Able <ann@academy.example> (line 2) → Bo Baker <bo@academy.example> (line 3) → Ann Able",
    ),
    "a longer loop": (
        roster(
            f"E5000,Dee Dunn,dee@academy.example,Delta,{NORTH},,",
            "E5001,Ann Able,ann@academy.example,Alpha,bo@academy.example,,",
            "E5002,Bo Baker,bo@academy.example,Beta,cy@academy.example,,",
            "E5003,Cy Cole,cy@academy.example,Gamma,ann@academy.example,,",
        ),
        [(3, "manager_email")],
        "Ann Able <ann@academy.example> (line 3) → Bo Baker <bo@academy.example> (line 4) → "
        "Cy Cole <cy@academy.example> (line 5) → Ann Able",
    ),
    "a loop through someone outside the file": (
        # Amira (not in the file) is in North store, which Nadia manages; Nadia would report to Amira.
        roster("E0010,Nadia Okafor,manager.north@academy.example,Alpha,amira@academy.example,Store manager,"),
        [(2, "manager_email")],
        "Nadia Okafor <manager.north@academy.example> (line 2) → Amira Haddad <amira@academy.example> → Nadia",
    ),
    "team name in other capitals": (
        roster(NEW.format(manager=NORTH).replace("North store", "North Store")),
        [(2, "team")],
        "differs only in capitals from the team “North store”",
    ),
    "own manager": (
        roster("E5001,Zoe Quinn,zoe@academy.example,Zeta,zoe@academy.example,,"),
        [(2, "manager_email")],
        "cannot manage themself",
    ),
    "bad active value": (roster(NEW.format(manager=NORTH).replace(",yes", ",maybe")), [(2, "active")], "“maybe”"),
    "unquoted comma": (
        roster(f"E5001,Zoe Quinn,zoe@academy.example,North store,{NORTH},Host, weekends,yes"),
        [(2, "")],
        "double quotes",
    ),
    "header only": (roster(), [(2, "")], "no people"),
    "empty file": (b"", [(1, "")], "header"),
}


@pytest.mark.parametrize("data, expected, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_names_each_problem_and_imports_nothing(data, expected, message):
    before = snapshot()

    result = roster_import(data=data)

    assert where(result) == expected, result.problems
    assert message in result.problems[0].message
    assert (result.created, result.updated, result.unchanged, result.deactivated) == (0, 0, 0, 0)
    assert snapshot() == before


def test_every_problem_in_the_file_is_listed_not_just_the_first():
    data = roster(
        f"E5001,Zoe Quinn,zoe@,North store,{NORTH},,",
        f"E5002,Zed Quinn,zed@academy.example,North store,{NORTH},,perhaps",
        "E5003,Yan Yu,yan@academy.example,North store,nobody@academy.example,,",
        f"E5001,Xia Xu,xia@academy.example,,{NORTH},,",
        f"E5004,Wes Wu,wes@academy.example,North store,{NORTH},,",  # fine
    )
    before = snapshot()

    result = roster_import(data=data)

    assert where(result) == [
        (2, "email"),
        (3, "active"),
        (4, "manager_email"),
        (5, "employee_number"),
        (5, "team"),
    ]
    assert snapshot() == before


def test_an_encoding_problem_is_reported_on_every_bad_line():
    data = roster(
        "E5001,Zoë Quinn,zoe@academy.example,North store,,,",
        "E5002,Zed Quinn,zed@academy.example,North store,,,",
        "E5003,Yan Yu,yan@academy.example,Nörth store,,,",
    ).decode().encode("cp1252")
    result = roster_import(data=data)
    assert [str(problem).split(":")[0] for problem in result.problems] == ["line 2, column name", "line 4, column team"]


def test_a_superuser_is_never_deactivated_by_the_roster():
    EmployeeFactory(user=User.objects.get(username="admin"), employee_number="E9999")
    result = roster_import(data=roster("E9999,Ada Admin,admin@academy.example,Office,,,no"))
    assert where(result) == [(2, "active")] and "superuser" in result.problems[0].message
    assert User.objects.get(username="admin").is_active


def test_a_manager_missing_from_the_file_would_be_deactivated_so_the_file_is_refused():
    data = roster(f"E0011,Amira Haddad,amira@academy.example,North store,{NORTH},Barista,yes")
    result = roster_import(data=data, deactivate_missing=True)
    assert where(result) == [(2, "manager_email")] and "would deactivate them" in result.problems[0].message
    assert User.objects.filter(is_active=False).count() == 0


def test_swapping_emails_between_two_people_in_the_file_is_allowed():
    data = roster(
        f"E0011,Amira Haddad,ben@academy.example,North store,{NORTH},Barista,yes",
        f"E0012,Ben Carter,amira@academy.example,North store,{NORTH},Cashier,yes",
    )
    result = roster_import(data=data)
    assert result.problems == [] and result.updated == 2
    assert User.objects.get(username="amira").email == "ben@academy.example"


# --- deactivation --------------------------------------------------------------------------------


def test_deactivating_people_missing_from_the_file_keeps_their_records():
    chloe = Employee.objects.get(user__username="chloe")
    lesson = LessonPage.objects.first()
    LessonCompletion.objects.create(employee=chloe, lesson=lesson)
    admin = User.objects.get(username="admin")
    EmployeeFactory(user=admin, employee_number="E9999")  # a superuser with an employee record
    data = roster(
        "E0010,Nadia Okafor,manager.north@academy.example,Store managers,,Store manager,yes",
        f"E0011,Amira Haddad,amira@academy.example,North store,{NORTH},Barista,yes",
        f"E0012,Ben Carter,ben@academy.example,North store,{NORTH},Cashier,yes",
    )
    employees_before = Employee.objects.count()

    result = roster_import(data=data, deactivate_missing=True, deactivation=Deactivation(allow_mass=True))

    assert result.problems == [] and result.deactivated == 10  # hr, chloe..emma, south and their five
    chloe.user.refresh_from_db()
    assert not chloe.user.is_active
    assert Employee.objects.count() == employees_before
    assert LessonCompletion.objects.filter(employee=chloe, lesson=lesson).exists()
    assert Employee.objects.get(employee_number="E0018").team.name == "South store"  # history kept as it was
    admin.refresh_from_db()
    assert admin.is_active
    active = set(User.objects.filter(is_active=True).values_list("username", flat=True))
    assert active >= {"manager.north", "amira", "ben"}

    again = roster_import(data=data, deactivate_missing=True)  # nobody left to deactivate: within the limit
    assert (again.created, again.updated, again.deactivated, again.unchanged) == (0, 0, 0, 3)


def test_a_file_row_brings_a_deactivated_person_back():
    User.objects.filter(username="dev").update(is_active=False)
    result = roster_import(data=roster(f"E0014,Dev Patel,dev@academy.example,North store,{NORTH},Barista,yes"))
    assert result.updated == 1 and User.objects.get(username="dev").is_active


# --- the safety net: a careless roster cannot lock everyone out -----------------------------------


def staff(*leaving: str) -> bytes:
    """Everyone with an employee record as they are now, but the usernames `leaving`."""
    rows = []
    for employee in Employee.objects.select_related("user", "team__manager__user").order_by("employee_number"):
        user, team = employee.user, employee.team
        if user.username in leaving:
            continue
        manager = team.manager.user.email if team and team.manager else ""
        rows.append(
            f"{employee.employee_number},{user.get_full_name()},{user.email},{team.name if team else 'Office'},"
            f'{manager},"{employee.job_title}",yes'
        )
    return roster(*rows)


def active_usernames() -> set[str]:
    return set(User.objects.filter(is_active=True).values_list("username", flat=True))


def test_a_one_line_roster_with_deactivate_missing_is_refused():
    before = snapshot()
    data = roster("E0001,Hana Ruiz,hr@academy.example,Office,,HR partner,yes")

    result = roster_import(data=data, deactivate_missing=True, deactivation=Deactivation(uploader=User.objects.get(username="hr")))

    assert where(result) == [(0, "")]
    message = str(result.problems[0])
    assert message.startswith("whole file: “deactivate missing” would deactivate 12 of the 13 active employees (92%)")
    assert "more than the 20% limit" in message and "--allow-mass-deactivation" in message
    assert (result.created, result.updated, result.deactivated, result.deactivated_people) == (0, 0, 0, ())
    assert snapshot() == before


def test_the_limit_is_a_share_of_the_active_employees_and_a_setting(settings):
    assert roster_check(data=staff("chloe", "dev"), deactivate_missing=True).deactivated == 2  # 2 of 13: 15%
    assert not roster_check(data=staff("chloe", "dev", "emma"), deactivate_missing=True).ok  # 3 of 13: 23%
    settings.ROSTER_MAX_DEACTIVATE_PERCENT = 25
    assert roster_check(data=staff("chloe", "dev", "emma"), deactivate_missing=True).deactivated == 3
    settings.ROSTER_MAX_DEACTIVATE_PERCENT = 0
    assert not roster_check(data=staff("chloe"), deactivate_missing=True).ok
    assert roster_check(data=staff(), deactivate_missing=True).ok  # nobody to deactivate is always fine


def test_an_explicit_override_allows_a_mass_deactivation():
    data = staff("chloe", "dev", "emma", "felix")
    result = roster_import(data=data, deactivate_missing=True, deactivation=Deactivation(allow_mass=True))
    assert result.ok and result.deactivated == 4
    assert not active_usernames() & {"chloe", "dev", "emma", "felix"}


def test_the_uploader_is_never_deactivated():
    hr = User.objects.get(username="hr")
    result = roster_import(data=staff("hr", "chloe"), deactivate_missing=True, deactivation=Deactivation(uploader=hr))
    assert result.ok and [person.name for person in result.deactivated_people] == ["Chloe Dubois"]
    assert "hr" in active_usernames() and "chloe" not in active_usernames()

    marked = staff().replace(b'"HR partner",yes', b'"HR partner",no')
    result = roster_import(data=marked, deactivation=Deactivation(uploader=hr))
    assert [str(problem) for problem in result.problems] == [
        "line 2, column active: this is you: the person importing a roster is never deactivated by it (ask another HR person)"
    ]
    assert User.objects.get(username="hr").is_active


def test_a_manager_who_uploads_is_not_reported_as_someone_the_file_would_deactivate():
    north = User.objects.get(username="manager.north")
    data = roster(*staff("manager.north").decode().splitlines()[1:])
    result = roster_check(data=data, deactivate_missing=True, deactivation=Deactivation(uploader=north))
    assert result.ok and result.deactivated == 0


def test_the_check_names_everyone_who_would_be_deactivated():
    result = roster_check(data=staff("emma", "chloe"), deactivate_missing=True)
    assert [str(person) for person in result.deactivated_people] == ["Chloe Dubois (E0013)", "Emma Lindqvist (E0015)"]


def test_an_import_confirmed_for_other_people_than_it_would_now_deactivate_is_refused():
    before = snapshot()
    confirmed = Deactivation(confirmed=frozenset({"E0013"}))
    result = roster_import(data=staff("chloe", "dev"), deactivate_missing=True, deactivation=confirmed)
    assert "changed since the preview (1 then, 2 now)" in result.problems[0].message
    assert snapshot() == before


# --- the management command ----------------------------------------------------------------------


@pytest.fixture
def write(tmp_path):
    def write(data: bytes):
        path = tmp_path / "roster.csv"
        path.write_bytes(data)
        return str(path)

    return write


def test_the_command_imports_with_a_progress_bar_and_a_summary(write):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", write(CLEAN), stdout=out, stderr=err)
    assert "4 created, 1 updated, 1 unchanged, 0 deactivated, 1 team(s) created" in out.getvalue()
    assert "\r[##############################] 6/6 rows" in err.getvalue()
    assert Employee.objects.filter(employee_number="E5001").exists()


def test_the_command_lists_problems_and_exits_with_status_1(write, capsys, monkeypatch):
    # run_from_argv is what manage.py calls; it closes connections when done, which would end the
    # test's transaction on a file-based SQLite database.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = write(roster(f"E5001,Zoe Quinn,amira@academy.example,North store,{NORTH},,", "E5002,,,North store,,,maybe"))
    before = snapshot()

    with pytest.raises(SystemExit) as exit:
        ImportRosterCommand().run_from_argv(["manage.py", "import_roster", path])

    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert "line 2, column email: amira@academy.example already belongs to employee E0011" in err
    assert "line 3, column name: required, but empty" in err
    assert "line 3, column active: " in err
    assert "4 problem(s)" in err and "nothing was imported" in err
    assert snapshot() == before


def test_the_command_raises_command_error_for_call_command(write):
    with pytest.raises(CommandError) as error:
        call_command("import_roster", write(b"a;b;c\n"), stdout=io.StringIO(), stderr=io.StringIO())
    assert error.value.returncode == 1


def test_the_command_dry_run_writes_nothing(write):
    before = snapshot()
    out = io.StringIO()
    call_command("import_roster", write(CLEAN), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "Dry run" in out.getvalue() and "4 created" in out.getvalue()
    assert snapshot() == before


def test_the_command_deactivates_missing_people_on_request(write):
    data = roster(
        "E0010,Nadia Okafor,manager.north@academy.example,Store managers,,Store manager,yes",
        f"E0011,Amira Haddad,amira@academy.example,North store,{NORTH},Barista,yes",
    )
    out = io.StringIO()
    call_command(
        "import_roster", write(data), "--deactivate-missing", "--allow-mass-deactivation", stdout=out, stderr=io.StringIO()
    )
    assert "11 deactivated" in out.getvalue()
    assert "Deactivated: Jonas Berg (E0021); Ben Carter (E0012); Chloe Dubois (E0013);" in out.getvalue()
    assert not User.objects.get(username="ben").is_active


def test_the_command_refuses_a_mass_deactivation_without_the_flag(write):
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_roster", write(staff("chloe", "dev", "emma")), "--deactivate-missing", stdout=io.StringIO(), stderr=err)
    assert "whole file: “deactivate missing” would deactivate 3 of the 13 active employees (23%)" in err.getvalue()
    assert snapshot() == before


def test_the_command_dry_run_names_who_would_be_deactivated_and_as_spares_that_person(write):
    out = io.StringIO()
    path = write(staff("hr", "chloe"))
    call_command("import_roster", path, "--deactivate-missing", "--dry-run", "--as", "hr", stdout=out, stderr=io.StringIO())
    assert "1 deactivated" in out.getvalue() and "Would deactivate: Chloe Dubois (E0013)" in out.getvalue()
    with pytest.raises(CommandError, match="--as nobody: no login has that username"):
        call_command("import_roster", path, "--as", "nobody", stdout=io.StringIO(), stderr=io.StringIO())


# --- the admin page ------------------------------------------------------------------------------

URL = "/admin/people/roster/"


@pytest.fixture
def hr_client(client):
    client.force_login(User.objects.get(username="hr"))
    return client


def upload(client, data: bytes, **fields):
    return client.post(URL, {"file": SimpleUploadedFile("roster.csv", data, content_type="text/csv"), **fields})


def test_hr_sees_the_upload_form_with_a_progress_bar(hr_client):
    assert reverse("people_roster_import") == URL
    response = hr_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deactivate people missing from this file" in html
    assert "<progress" in html and "training/roster.js" in html
    assert 'enctype="multipart/form-data"' in html


def test_hr_uploading_a_bad_file_sees_every_problem_and_nothing_is_imported(hr_client):
    before = snapshot()
    data = roster(
        f"E5001,Zoe Quinn,zoe@,North store,{NORTH},,",
        "E5002,Zed,zed@academy.example,North store,nobody@academy.example,,",
    )
    response = upload(hr_client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 problems in roster.csv: nothing was imported" in html
    assert "<td>2</td><td><code>email</code></td><td>“zoe@” is not a valid email address</td>" in html
    assert "<td>3</td><td><code>manager_email</code></td>" in html
    assert snapshot() == before


def test_hr_uploading_a_good_file_sees_the_counts(hr_client):
    response = upload(hr_client, CLEAN, deactivate_missing="")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td data-count="created">4</td>' in html and '<td data-count="updated">1</td>' in html
    assert Employee.objects.filter(employee_number="E5003").exists()
    assert User.objects.get(username="ben").is_active  # not ticked: nobody deactivated


def confirm_fields(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(preview_token|sha256)" value="([^"]+)">', html))


def test_hr_uploading_a_one_line_roster_with_deactivate_missing_is_refused(hr_client):
    before = snapshot()
    data = roster("E0001,Hana Ruiz,hr@academy.example,Office,,HR partner,yes")
    html = upload(hr_client, data, deactivate_missing="on").content.decode()
    assert "1 problem in roster.csv: nothing was imported" in html
    assert "<td>(whole file)</td><td></td><td>“deactivate missing” would deactivate 12 of the 13 active" in html
    assert "data-roster-confirm" not in html
    assert snapshot() == before


def test_hr_sees_who_would_be_deactivated_and_confirming_imports_exactly_that(hr_client, settings):
    settings.ROSTER_MAX_DEACTIVATE_PERCENT = 30
    before = snapshot()
    response = upload(hr_client, staff("hr", "chloe", "dev"), deactivate_missing="on")
    html = response.content.decode()
    assert "2 people would be deactivated: confirm to import roster.csv" in html
    assert "<li>Chloe Dubois (E0013)</li><li>Dev Patel (E0014)</li>" in html  # never HR, who uploads
    assert "Confirm: import and deactivate 2" in html
    assert snapshot() == before  # nothing before the confirmation

    fields = confirm_fields(html)
    assert hr_client.post(URL, {**fields, "sha256": "0" * 64}).content.decode().count("no longer valid") == 1
    assert snapshot() == before  # a wrong digest imports nothing, and uses the preview up

    fields = confirm_fields(upload(hr_client, staff("hr", "chloe", "dev"), deactivate_missing="on").content.decode())
    html = hr_client.post(URL, fields).content.decode()
    assert "Imported roster.csv" in html and '<td data-count="deactivated">2</td>' in html
    assert not active_usernames() & {"chloe", "dev"} and "hr" in active_usernames()

    again = hr_client.post(URL, fields).content.decode()  # a second confirm (double click, back button)
    assert "no longer valid" in again


def test_a_preview_is_refused_if_the_staff_changed_before_the_confirmation(hr_client):
    fields = confirm_fields(upload(hr_client, staff("chloe"), deactivate_missing="on").content.decode())
    EmployeeFactory(employee_number="E7777")  # someone joined since: the file would deactivate them too
    before = snapshot()
    html = hr_client.post(URL, fields).content.decode()
    assert "changed since the preview (1 then, 2 now)" in html
    assert snapshot() == before


def test_the_preview_names_fifty_people_then_counts_the_rest(hr_client):
    data = staff("chloe")
    for _ in range(300):
        EmployeeFactory()
    html = upload(hr_client, data, deactivate_missing="on", allow_mass_deactivation="on").content.decode()
    assert "301 people would be deactivated" in html
    listed = html.split("<ul data-roster-deactivate>")[1].split("</ul>")[0]
    assert listed.count("<li>") == 50
    last_names = [html_unescape(item).split(" (")[0].split()[-1].lower() for item in listed.split("<li>")[1:]]
    assert last_names == sorted(last_names)  # by last name, as employees are listed everywhere
    assert "<p data-roster-deactivate-more>and 251 more</p>" in html
    assert set(confirm_fields(html)) == {"preview_token", "sha256"}


def test_the_menu_item_is_shown_to_hr_only(client, hr_client):
    assert "Import roster" in hr_client.get("/admin/").content.decode()
    client.force_login(User.objects.get(username="editor"))
    assert "Import roster" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("username", ["editor", "manager.north", "amira"])
def test_anyone_but_hr_is_refused_and_nothing_is_imported(client, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(URL).status_code == 403
    before = snapshot()
    assert upload(client, CLEAN).status_code == 403
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))


# --- a large roster --------------------------------------------------------------------------------


def big_roster(size: int = 5000, team_size: int = 100) -> bytes:
    """`size` people in teams of `team_size`; each team's first row is its manager, who sits in it."""
    rows = []
    for n in range(size):
        team, first = divmod(n, team_size)
        manager = "" if first == 0 else f"lead{team:03d}@big.example"
        email = f"lead{team:03d}@big.example" if first == 0 else f"person{n:05d}@big.example"
        rows.append(f"B{n:05d},Person {n:05d},{email},Store {team:03d},{manager},Associate,yes")
    return roster(*rows)


@pytest.mark.slow
def test_a_5000_row_roster_imports_with_a_bounded_number_of_queries(django_assert_max_num_queries, settings):
    settings.TASKS = {**settings.TASKS, "background": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    data = big_roster()
    calls = []

    # Checking is three lookups whatever the size: employees (with users and teams), other logins, teams.
    with django_assert_max_num_queries(3):
        assert roster_check(data=data).created == 5000

    # Writing is bulk statements of at most 500 rows (fewer on SQLite, whose 999-parameter limit
    # Django respects: 99 users a statement), so about 93 queries on SQLite, fewer on PostgreSQL;
    # the 5,000 invitations are queued for workers (one task each), which takes no query.
    with django_assert_max_num_queries(120):
        result = roster_import(data=data, progress=lambda done, total: calls.append(done))

    assert result.problems == [] and result.created == 5000 and result.teams_created == 50
    queued = [result.kwargs["user_id"] for result in task_backends["background"].results]
    assert result.invited == 5000 and len(set(queued)) == len(queued) == 5000 and mail.outbox == []
    assert len(calls) == 50 and calls[-1] == 5000
    assert Employee.objects.filter(employee_number__startswith="B").count() == 5000
    assert Team.objects.get(name="Store 007").manager.user.username == "lead007@big.example"
    assert Group.objects.get(name=roles.MANAGER).user_set.filter(username__startswith="lead").count() == 50

    with django_assert_max_num_queries(10):
        again = roster_import(data=data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5000)

    renamed = data.replace(b",Associate,", b",Senior associate,")  # one new value shared: UPDATE ... IN
    with django_assert_max_num_queries(25):
        changed = roster_import(data=renamed)
    assert changed.updated == 5000
    assert Employee.objects.filter(job_title="Senior associate").count() == 5000

    moved = renamed.replace(b"@big.example", b"@big.example.org")  # 5,000 different new values
    with django_assert_max_num_queries(50):
        assert roster_import(data=moved).updated == 5000
    assert User.objects.filter(email__endswith="@big.example.org").count() == 5000


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04" + bytes(range(256)) * 40, "this is an Excel workbook (.xlsx) or another zipped file, not a CSV file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40, "this is an old Excel workbook (.xls), not a CSV file"),
        ("employee_number,name\n1,Zoë".encode("utf-16"), "a NUL byte: this is not UTF-8 text"),
    ],
)
def test_a_workbook_or_binary_file_is_one_clear_problem(data, message):
    [problem] = roster_check(data=data).problems
    assert problem.row == 1 and message in problem.message
    assert problem.message.endswith("in Excel, “Save as” “CSV UTF-8 (Comma delimited)” and upload that")


def test_a_nul_byte_in_a_name_is_refused_at_its_line():
    result = roster_import(data=CLEAN + b"E999,Nul\x00Name,nul@example.com,North store,,Clerk,yes\n")
    assert not result.ok and result.problems[0].row == CLEAN.count(b"\n") + 1 and "NUL byte" in result.problems[0].message


@pytest.fixture(scope="module")
def binary_roster() -> bytes:
    """About 1 MB of random bytes without NUL bytes, so it is not refused as a whole but reaches
    the per-line checks: thousands of lines that are not UTF-8."""
    return bytes(random.Random(12).randbytes(1_100_000)).replace(b"\x00", b"")


def test_a_binary_roster_lists_the_first_100_problems_and_counts_the_rest(binary_roster):
    result = roster_check(data=binary_roster)
    total = len(result.problems)
    assert total > 1000 and result.problems[0].row == 1  # the count stays whole
    assert result.problems_listed == result.problems[:PROBLEMS_LISTED] and PROBLEMS_LISTED == 100
    assert result.problems_more == f"… and {total - 100:,} more problems"
    assert roster_check(data=CLEAN).problems_more == ""


def test_the_roster_page_shows_100_problems_then_how_many_more(hr_client, binary_roster):
    before = snapshot()
    response = upload(hr_client, binary_roster)
    html = response.content.decode()
    total = len(response.context["result"].problems)
    table = html.split("data-roster-problems>", 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 1 + 100  # the heading row and the listed problems
    assert f"… and {total - 100:,} more problems" in html
    assert f"{total} problems in roster.csv: nothing was imported" in html
    assert len(html) < 100_000
    assert snapshot() == before


def test_the_command_prints_100_problems_then_how_many_more(write, binary_roster):
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^\d+ problem\(s\) in .*; nothing was imported\.$") as refused:
        call_command("import_roster", write(binary_roster), stdout=io.StringIO(), stderr=err)
    total = int(str(refused.value).split()[0])
    lines = err.getvalue().splitlines()
    assert len([line for line in lines if line.startswith("line ")]) == 100
    assert f"… and {total - 100:,} more problems" in lines


@pytest.mark.parametrize(
    "data, says",
    [
        (b"", "The submitted file is empty."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "nothing was imported"),
        (b"employee_number,name\nE1,Nul\x00Name\n", "nothing was imported"),
    ],
)
def test_a_refused_upload_is_a_400_naming_the_problem(hr_client, data, says):
    before = snapshot()
    response = upload(hr_client, data)
    assert response.status_code == 400 and says in response.content.decode()
    no_file = hr_client.post(URL, {})
    assert no_file.status_code == 400 and "This field is required." in no_file.content.decode()
    assert snapshot() == before
