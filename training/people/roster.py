"""Staff roster import: HR's CSV of everyone who works here becomes Users, Employees, Teams and
role-group memberships.

The file is checked completely before anything is written. Every problem is collected with the
file line and column it belongs to, so HR can fix the whole file in one go; only a file without
problems is applied, in one transaction, so a roster is never half-imported.

Lookups are a fixed handful of queries (existing employees, other logins, teams are loaded into
dicts up front) and writes are bulk statements, so a roster of thousands of rows takes seconds.

To accept a new column: add it to COLUMNS, read it in `_row_parse`, compare it in `_differs` and
write it in `_apply`; add a bad-value test next to the others in tests/people/test_roster.py.
"""

from __future__ import annotations

import codecs
import csv
import io
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from training.people import roles
from training.people.invitations import invitations_enqueue, invitations_send
from training.people.models import Employee, Team

COLUMNS = ("employee_number", "name", "email", "team", "manager_email", "job_title", "active")
REQUIRED = ("employee_number", "name", "email", "team")
ACTIVE_VALUES = {"": True, "yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
PROGRESS_EVERY = 100
SHARED_VALUE_MIN = 50  # this many people given one new value (a team, a title) get one UPDATE
WRITE_BATCH = 500  # rows per bulk statement (the backend may lower it, e.g. SQLite's 999 parameters)
USERNAME_MAX = 150  # auth.User.username: new logins are named by their email
PROBLEMS_LISTED = 100  # a result lists the first this many problems (in file order) and counts the rest

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RosterProblem:
    """One thing wrong with the file. `row` is the 1-based file line (the header is line 1), or 0
    when the problem is what the whole file would do (deactivate too many people);
    `column` is a column name, or "" when the problem is the whole line."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return f"whole file: {self.message}"
        where = f"line {self.row}, column {self.column}" if self.column else f"line {self.row}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RosterPerson:
    """Someone an import names without a file line: a person it deactivates."""

    employee_number: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"


@dataclass(frozen=True)
class RosterResult:
    """What an import did (or, from `roster_check`, would do). With problems, every count is 0."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    teams_created: int = 0
    invited: int = 0  # invitations queued (the page) or sent (the command) to the new active people
    problems: list[RosterProblem] = field(default_factory=list)
    deactivated_people: tuple[RosterPerson, ...] = ()  # by name; the preview HR confirms

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problems_listed(self) -> list[RosterProblem]:
        """The first PROBLEMS_LISTED problems: a binary or badly exported file can have one per
        line (77,659 for a 17 MB file), and a page or terminal of them helps nobody."""
        return self.problems[:PROBLEMS_LISTED]

    @property
    def problems_more(self) -> str:
        """"… and N more problems" after the listed ones, or "" when every problem is listed."""
        more = len(self.problems) - PROBLEMS_LISTED
        if more <= 0:
            return ""
        return f"… and {more:,} more problem{'s' if more != 1 else ''}"


@dataclass(frozen=True)
class Deactivation:
    """How "deactivate missing" may go, so a careless file cannot lock everyone out.

    `uploader` (the person importing; None from the command line without --as) is never
    deactivated. More than `ROSTER_MAX_DEACTIVATE_PERCENT` of the active employees is refused
    unless `allow_mass` is set. `confirmed`, when given, is the set of employee numbers HR saw in
    the preview: if the file would now deactivate anyone else (or fewer), it is refused, so what
    is imported is exactly what was confirmed.
    """

    uploader: AbstractBaseUser | None = None
    allow_mass: bool = False
    confirmed: frozenset[str] | None = None


def roster_check(
    *,
    data: bytes,
    deactivate_missing: bool = False,
    deactivation: Deactivation = Deactivation(),
    progress: Progress | None = None,
) -> RosterResult:
    """Validate a roster and count what importing it would change, writing nothing (a dry run).
    With `deactivate_missing`, the result names who would be deactivated: the preview."""
    return _plan(data, deactivate_missing=deactivate_missing, deactivation=deactivation, progress=progress).result


def roster_import(
    *,
    data: bytes,
    deactivate_missing: bool = False,
    deactivation: Deactivation = Deactivation(),
    progress: Progress | None = None,
    invite: bool = True,
    invite_now: bool = False,
    invited_by=None,
) -> RosterResult:
    """Create or update everyone in the roster CSV `data`; all or nothing.

    People are matched by employee_number. New people get a login named by their email with an
    unusable password; with `invite`, each new active person then gets an invitation email from
    `invited_by` (training/people/invitations.py) with a link to choose a password, once the
    import is committed: queued for a worker (the admin page), or with `invite_now` sent in this
    process (the import_roster command, which has no request to keep short). Everyone in the file joins the
    Employee group, team managers the Manager group; memberships are only ever added.
    With `deactivate_missing`, active employees absent from the file lose their login
    (user.is_active = False) but keep every record; superusers and `deactivation.uploader` are
    never deactivated, and `deactivation` sets the limit (see Deactivation).
    `progress(done_rows, total_rows)` is called about every 100 rows while checking.
    Importing the same file twice changes nothing the second time.
    """
    with transaction.atomic():  # check and write against the same data; concurrent imports queue up
        plan = _plan(data, deactivate_missing=deactivate_missing, deactivation=deactivation, progress=progress)
        new_users = _apply(plan) if plan.result.ok else []
    if invite and new_users:
        deliver = invitations_send if invite_now else invitations_enqueue
        invited = deliver(users=[user for user in new_users if user.is_active], invited_by=invited_by)
        return replace(plan.result, invited=invited)
    return plan.result


def _spared(user, deactivation: Deactivation) -> bool:
    """Whom the roster never deactivates: superusers, and the person importing it."""
    uploader = deactivation.uploader
    return user.is_superuser or (uploader is not None and user.pk == uploader.pk)


# --- reading the file -------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    employee_number: str
    first_name: str
    last_name: str
    email: str
    key: str  # the email, lower-cased: emails are compared without case
    team: str
    manager_key: str
    job_title: str
    active: bool
    flagged: set[str] = field(default_factory=set)  # columns already reported on this row


_SPREADSHEETS = {b"PK\x03\x04": "an Excel workbook (.xlsx) or another zipped file", b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)"}
_SAVE_AS_CSV = "in Excel, “Save as” “CSV UTF-8 (Comma delimited)” and upload that"


def _decode(data: bytes) -> tuple[str, list[RosterProblem]]:
    """The file as text, or what is wrong: one problem for a workbook or a file with NUL bytes
    (binary, UTF-16; PostgreSQL could not store them either), else one per line that is not UTF-8
    (naming the first bad byte)."""
    for signature, what in _SPREADSHEETS.items():
        if data.startswith(signature):
            return "", [RosterProblem(1, "", f"this is {what}, not a CSV file: {_SAVE_AS_CSV}")]
    if (nul := data.find(b"\x00")) >= 0:
        line = data[:nul].count(b"\n") + 1
        return "", [RosterProblem(line, "", f"a NUL byte: this is not UTF-8 text (a binary or UTF-16 file?): {_SAVE_AS_CSV}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    if lines[0].startswith(codecs.BOM_UTF8):
        lines[0] = lines[0][len(codecs.BOM_UTF8) :]
    header = [name.strip() for name in lines[0].decode("utf-8", errors="replace").split(",")]
    problems = []
    for number, raw in enumerate(lines, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            index = raw[: error.start].count(b",")  # ignores quoting: a good guess at the column
            column = header[index] if number > 1 and index < len(header) and header[index] in COLUMNS else ""
            problems.append(
                RosterProblem(
                    number,
                    column,
                    f"not UTF-8: byte 0x{raw[error.start]:02X} at character {error.start + 1} of this line "
                    "(the file was probably saved as Windows-1252/Latin-1); save it as “CSV UTF-8” and upload again",
                )
            )
    return "", problems


_DELIMITERS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}


def _header_check(header: list[str]) -> list[RosterProblem]:
    if len(header) == 1:
        for delimiter, name in _DELIMITERS.items():
            if delimiter in header[0]:
                return [
                    RosterProblem(
                        1,
                        "",
                        f"the columns are separated by {name}, not commas: use commas "
                        f"({_SAVE_AS_CSV})",
                    )
                ]
    problems = []
    names = [name.strip() for name in header]
    seen = set()
    for name in names:
        if name in seen:
            problems.append(RosterProblem(1, name, "this column appears twice"))
        elif name not in COLUMNS:
            hint = next((c for c in COLUMNS if c == name.lower().replace(" ", "_")), None)
            if not name:
                message = "a column has no name (a stray comma at the end of the header?)"
            elif hint:
                message = f"unknown column “{name}”: write it exactly as “{hint}”"
            else:
                message = f"unknown column “{name}”; the columns are: {', '.join(COLUMNS)}"
            problems.append(RosterProblem(1, name, message))
        seen.add(name)
    for name in COLUMNS:
        if name not in seen:
            problems.append(RosterProblem(1, name, "missing column"))
    return problems


def _row_parse(line: int, values: dict[str, str], problems: list[RosterProblem]) -> _Row:
    """One data row checked on its own. Rows with problems still take part in the checks across
    rows (so a bad `active` does not also make this person an "unknown manager" elsewhere)."""
    flagged: set[str] = set()

    def problem(column, message):
        flagged.add(column)
        problems.append(RosterProblem(line, column, message))

    for column in REQUIRED:
        if not values[column]:
            problem(column, "required, but empty")
    email, manager_email = values["email"], values["manager_email"]
    for column in ("email", "manager_email"):
        if values[column]:
            try:
                validate_email(values[column])
            except ValidationError:
                problem(column, f"“{values[column]}” is not a valid email address")
    active = ACTIVE_VALUES.get(values["active"].lower())
    if active is None:
        problem("active", f"“{values['active']}” is not one of yes, no, true, false, 1, 0 (empty means yes)")
    first_name, _, last_name = values["name"].partition(" ")
    last_name = last_name.strip()
    limits = [
        ("employee_number", values["employee_number"], Employee._meta.get_field("employee_number").max_length),
        ("name", first_name, 150),
        ("name", last_name, 150),
        ("email", email, 254),
        ("team", values["team"], Team._meta.get_field("name").max_length),
        ("job_title", values["job_title"], Employee._meta.get_field("job_title").max_length),
    ]
    for column, value, limit in limits:
        if len(value) > limit:
            problem(column, f"too long: at most {limit} characters")
    return _Row(
        line=line,
        employee_number=values["employee_number"],
        first_name=first_name,
        last_name=last_name,
        email=email,
        key=email.lower(),
        team=values["team"],
        manager_key=manager_email.lower(),
        job_title=values["job_title"],
        active=active is not False,
        flagged=flagged,
    )


def _rows_read(text: str, problems: list[RosterProblem], progress: Progress | None) -> list[_Row]:
    """Parse the file and check each row on its own. Header problems stop here: without the right
    columns the rows cannot be read reliably. A row with the wrong number of values is left out."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for fields in reader:
            records.append((line, fields))
            line = reader.line_num + 1  # a quoted value may span lines: the next record starts here
    except csv.Error as error:
        problems.append(RosterProblem(reader.line_num, "", f"this line cannot be read as CSV ({error})"))
        return []
    if not records or not any(value.strip() for value in records[0][1]):
        problems.append(RosterProblem(1, "", f"the first line must be the header: {','.join(COLUMNS)}"))
        return []
    header = records[0][1]
    problems.extend(_header_check(header))
    if problems:
        return []  # without the right columns the rows cannot be read reliably
    index = {name.strip(): position for position, name in enumerate(header)}
    data_records = [(number, fields) for number, fields in records[1:] if any(value.strip() for value in fields)]
    total = len(data_records)
    rows = []
    for done, (number, fields) in enumerate(data_records, start=1):
        if len(fields) != len(header):
            problems.append(
                RosterProblem(
                    number,
                    "",
                    f"has {len(fields)} values but the header has {len(header)} columns; "
                    "put values that contain commas in double quotes",
                )
            )
        else:
            values = {name: fields[position].strip() for name, position in index.items()}
            rows.append(_row_parse(number, values, problems))
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    if total == 0:
        # Also a guard: with "deactivate missing", an empty roster would deactivate everyone.
        problems.append(RosterProblem(2, "", "the file has a header but no people below it"))
    return rows


# --- checking against the file and the database -----------------------------------------------


@dataclass
class _Existing:
    """What the database holds, loaded once: every lookup afterwards is a dict access."""

    by_number: dict[str, Employee]
    by_key: dict[str, Employee]  # employees by lower-cased login email
    other_logins_by_key: dict[str, str]  # email -> username of logins without an employee record
    usernames: dict[str, str]  # lower-cased username -> username, every login
    teams: dict[str, Team]

    @classmethod
    def load(cls) -> _Existing:
        employees = list(Employee.objects.select_related("user", "team"))
        by_key: dict[str, Employee] = {}
        for employee in employees:
            if employee.user.email:
                by_key.setdefault(employee.user.email.lower(), employee)
        others = get_user_model().objects.filter(employee__isnull=True).values_list("username", "email")
        other_logins_by_key: dict[str, str] = {}
        usernames = {employee.user.username.lower(): employee.user.username for employee in employees}
        for username, email in others:
            usernames[username.lower()] = username
            if email:
                other_logins_by_key.setdefault(email.lower(), username)
        return cls(
            by_number={employee.employee_number: employee for employee in employees},
            by_key=by_key,
            other_logins_by_key=other_logins_by_key,
            usernames=usernames,
            teams={team.name: team for team in Team.objects.select_related("manager__user")},
        )


def _label(name: str, email: str) -> str:
    return f"{name} <{email}>" if name else email


def _cross_check(
    rows: list[_Row],
    existing: _Existing,
    *,
    deactivate_missing: bool,
    deactivation: Deactivation,
    problems: list[RosterProblem],
):
    """Checks that need every row and the database; returns each team's manager key (or "")."""

    def problem(row, column, message):
        if column not in row.flagged:  # one problem per cell: the first is the one to fix
            row.flagged.add(column)
            problems.append(RosterProblem(row.line, column, message))

    by_number: dict[str, _Row] = {}
    by_key: dict[str, _Row] = {}
    for row in rows:
        first = by_number.setdefault(row.employee_number, row) if row.employee_number else row
        if first is not row:
            problem(row, "employee_number", f"{row.employee_number} is also on line {first.line}")
        first = by_key.setdefault(row.key, row) if row.key else row
        if first is not row:
            problem(row, "email", f"{row.email} is also on line {first.line}")

    for row in rows:
        if not row.key or "email" in row.flagged:
            continue
        owner = existing.by_key.get(row.key)
        taken = owner is not None and owner.employee_number != row.employee_number
        if taken and owner.employee_number not in by_number:  # in the file, they may be giving it up
            problem(
                row,
                "email",
                f"{row.email} already belongs to employee {owner.employee_number} ({owner.full_name}), "
                "who is not in this file",
            )
        elif row.key in existing.other_logins_by_key:
            problem(
                row,
                "email",
                f"{row.email} belongs to the login “{existing.other_logins_by_key[row.key]}”, "
                "which has no employee record",
            )
        elif row.employee_number not in existing.by_number and row.key in existing.usernames:
            problem(row, "email", f"{row.email} is already the username of the login “{existing.usernames[row.key]}”")
        if row.key and len(row.key) > USERNAME_MAX and row.employee_number not in existing.by_number:
            problem(row, "email", f"too long to be a login name: at most {USERNAME_MAX} characters")
        current = existing.by_number.get(row.employee_number)
        if current is not None and not row.active and current.user.is_active and _spared(current.user, deactivation):
            if current.user.is_superuser:
                problem(row, "active", "this person is a superuser; the roster never deactivates superusers")
            else:
                problem(row, "active", "this is you: the person importing a roster is never deactivated by it (ask another HR person)")

    # Team names: one spelling per team, matching an existing team's spelling.
    spellings: dict[str, str] = {name.lower(): name for name in existing.teams}
    for row in rows:
        if not row.team:
            continue
        known = spellings.setdefault(row.team.lower(), row.team)
        if known != row.team:
            problem(
                row, "team", f"“{row.team}” differs only in capitals from the team “{known}”; spell it the same way"
            )

    # One manager per team; only the manager's own row in the team they manage may leave it empty.
    team_rows: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.team:
            team_rows[row.team].append(row)
    team_manager: dict[str, str] = {}
    for team, members in team_rows.items():
        named = next((row for row in members if row.manager_key), None)
        team_manager[team] = named.manager_key if named else ""
        for row in members:
            if named is None or row is named:
                continue
            if row.manager_key and row.manager_key != named.manager_key:
                problem(
                    row,
                    "manager_email",
                    f"team “{team}” has manager {named.manager_key} on line {named.line}, but this row names "
                    f"{row.manager_key}; a team has one manager",
                )
            elif not row.manager_key and row.key and row.key != named.manager_key:
                problem(
                    row,
                    "manager_email",
                    f"empty, but team “{team}” has manager {named.manager_key} (line {named.line}); only the "
                    "manager's own row may leave it empty",
                )

    # Managers must be people who will be active employees after the import.
    for row in rows:
        key = row.manager_key
        if not key or "manager_email" in row.flagged:
            continue
        if key == row.key:
            problem(row, "manager_email", "a person cannot manage themself; leave it empty for the head of a team")
            continue
        if key in by_key:
            if not by_key[key].active:
                problem(row, "manager_email", f"the manager {key} is marked inactive on line {by_key[key].line}")
            continue
        owner = existing.by_key.get(key)
        if owner is not None and owner.employee_number in by_number:
            problem(
                row,
                "manager_email",
                f"{key} is the current email of {owner.employee_number}, whom this file gives the email "
                f"{by_number[owner.employee_number].email} (line {by_number[owner.employee_number].line})",
            )
        elif owner is not None and not owner.user.is_active:
            problem(row, "manager_email", f"the manager {key} ({owner.full_name}) is not an active employee")
        elif owner is not None and deactivate_missing and not _spared(owner.user, deactivation):
            problem(
                row,
                "manager_email",
                f"the manager {key} ({owner.full_name}) is not in this file, so “deactivate missing” would "
                "deactivate them; add them to the file",
            )
        elif owner is None:
            problem(row, "manager_email", f"unknown manager {key}: not in this file and not an active employee")

    _loops_check(rows, existing, team_manager, by_key, by_number, problems)
    return team_manager


def _loops_check(rows, existing, team_manager, by_key, by_number, problems):
    """Report each manager loop once (A reports to B ... reports to A), on its first line."""

    def manager_of(key: str) -> str:
        row = by_key.get(key)
        if row is not None:
            manager = row.manager_key
        else:
            employee = existing.by_key.get(key)
            if employee is None or employee.employee_number in by_number or employee.team is None:
                return ""
            if employee.team.name in team_manager:
                manager = team_manager[employee.team.name]
            else:
                boss = existing.teams[employee.team.name].manager  # loaded with its user: no query
                manager = boss.user.email.lower() if boss is not None and boss.user.email else ""
        return "" if manager == key else manager

    def name_of(key: str) -> str:
        row = by_key.get(key)
        if row is not None:
            return _label(f"{row.first_name} {row.last_name}".strip(), row.email) + f" (line {row.line})"
        employee = existing.by_key[key]
        return _label(employee.full_name, employee.user.email)

    done: set[str] = set()
    for start in rows:
        path: list[str] = []
        position: dict[str, int] = {}
        key = start.key
        while key and key not in done and key not in position:
            position[key] = len(path)
            path.append(key)
            key = manager_of(key)
        loop = path[position[key] :] if key in position else []
        members = [by_key[member] for member in loop if member in by_key]
        if members:  # a loop only among people outside the file is not this file's doing
            first = min(members, key=lambda row: row.line)
            loop = loop[loop.index(first.key) :] + loop[: loop.index(first.key)]
            people = " → ".join(name_of(member) for member in loop + [loop[0]])
            problems.append(
                RosterProblem(
                    first.line,
                    "manager_email",
                    f"manager loop: {people}; someone in it must report to a person outside it",
                )
            )
        done.update(path)


# --- planning and applying the changes --------------------------------------------------------


@dataclass
class _Plan:
    result: RosterResult
    rows: list[_Row] = field(default_factory=list)
    existing: _Existing | None = None
    new_rows: list[_Row] = field(default_factory=list)
    changed: list[tuple[Employee, _Row]] = field(default_factory=list)
    team_manager: dict[str, str] = field(default_factory=dict)
    new_teams: list[str] = field(default_factory=list)
    deactivate: list[Employee] = field(default_factory=list)


def _problems_sorted(problems: list[RosterProblem]) -> list[RosterProblem]:
    order = {name: position for position, name in enumerate(COLUMNS)}
    return sorted(problems, key=lambda p: (p.row, order.get(p.column, -1)))


def _plan(data: bytes, *, deactivate_missing: bool, deactivation: Deactivation, progress: Progress | None) -> _Plan:
    text, problems = _decode(data)
    if problems:
        return _Plan(RosterResult(problems=problems))
    rows = _rows_read(text, problems, progress)
    if problems and not rows:
        return _Plan(RosterResult(problems=_problems_sorted(problems)))
    existing = _Existing.load()
    team_manager = _cross_check(
        rows, existing, deactivate_missing=deactivate_missing, deactivation=deactivation, problems=problems
    )
    if problems:
        return _Plan(RosterResult(problems=_problems_sorted(problems)))

    plan = _Plan(RosterResult(), rows=rows, existing=existing, team_manager=team_manager)
    unchanged = 0
    for row in rows:
        employee = existing.by_number.get(row.employee_number)
        if employee is None:
            plan.new_rows.append(row)
        elif _differs(employee, row):
            plan.changed.append((employee, row))
        else:
            unchanged += 1
    plan.new_teams = [team for team in team_manager if team not in existing.teams]
    if deactivate_missing:
        numbers = {row.employee_number for row in rows}
        plan.deactivate = sorted(
            (
                employee
                for employee in existing.by_number.values()
                if employee.employee_number not in numbers
                and employee.user.is_active
                and not _spared(employee.user, deactivation)
            ),
            key=lambda e: (e.user.last_name.lower(), e.user.first_name.lower(), e.employee_number),  # as Employee
        )
        problem = _deactivation_check(plan.deactivate, existing, deactivation)
        if problem:
            return _Plan(RosterResult(problems=[problem]))
    plan.result = RosterResult(
        created=len(plan.new_rows),
        updated=len(plan.changed),
        unchanged=unchanged,
        deactivated=len(plan.deactivate),
        teams_created=len(plan.new_teams),
        deactivated_people=tuple(RosterPerson(e.employee_number, e.full_name) for e in plan.deactivate),
    )
    return plan


def _deactivation_check(deactivate: list[Employee], existing: _Existing, deactivation: Deactivation):
    """The limit on "deactivate missing", and the match with what HR confirmed; a problem or None."""
    numbers = frozenset(employee.employee_number for employee in deactivate)
    if deactivation.confirmed is not None and numbers != deactivation.confirmed:
        return RosterProblem(
            0,
            "",
            f"the people this file would deactivate changed since the preview ({len(deactivation.confirmed)} "
            f"then, {len(numbers)} now): someone else changed the staff list; check the file again",
        )
    percent = settings.ROSTER_MAX_DEACTIVATE_PERCENT
    active = sum(1 for employee in existing.by_number.values() if employee.user.is_active)
    if not deactivation.allow_mass and len(deactivate) * 100 > percent * active:
        return RosterProblem(
            0,
            "",
            f"“deactivate missing” would deactivate {len(deactivate)} of the {active} active employees "
            f"({len(deactivate) * 100 // active}%), more than the {percent}% limit "
            "(ROSTER_MAX_DEACTIVATE_PERCENT); nothing was imported. Is this the whole staff list? If it "
            "really is, allow it explicitly (roster page: tick “Allow deactivating more than the limit”; "
            "import_roster: --allow-mass-deactivation)",
        )
    return None


def _differs(employee: Employee, row: _Row) -> bool:
    user = employee.user
    return (
        user.first_name != row.first_name
        or user.last_name != row.last_name
        or user.email != row.email
        or user.is_active != row.active
        or employee.job_title != row.job_title
        or (employee.team.name if employee.team else None) != row.team
    )


def _chunks(items: list, size: int = WRITE_BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unusable_password() -> str:
    """What make_password(None) returns, from one call to the OS's random source instead of 40
    (make_password(None) takes a second or so for a few thousand people)."""
    length = UNUSABLE_PASSWORD_SUFFIX_LENGTH
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(length)[:length]


def _changes_write(model, changes: dict[str, dict[int, object]]) -> None:
    """Write `{field: {pk: new value}}` a field at a time. A value many rows share (a new team,
    a retitled job, a deactivation) is one UPDATE ... WHERE pk IN; the rest go through
    bulk_update, whose CASE WHEN statements get slow when built for thousands of rows and fields."""
    for name, values in changes.items():
        attname = model._meta.get_field(name).attname
        by_value: dict[object, list[int]] = defaultdict(list)
        for pk, value in values.items():
            by_value[value].append(pk)
        rest = []
        for value, pks in by_value.items():
            if len(pks) < SHARED_VALUE_MIN:
                rest.extend(pks)
                continue
            for chunk in _chunks(pks):
                model.objects.filter(pk__in=chunk).update(**{attname: value})
        model.objects.bulk_update(
            [model(pk=pk, **{attname: values[pk]}) for pk in rest], [name], batch_size=WRITE_BATCH
        )


def _apply(plan: _Plan) -> list:
    """Write a checked plan and return the new users. Run inside one transaction; every statement
    is a bulk one."""
    User = get_user_model()
    existing = plan.existing
    teams = dict(existing.teams)
    created_teams = [Team(name=name) for name in plan.new_teams]
    Team.objects.bulk_create(created_teams, batch_size=WRITE_BATCH)
    teams.update((team.name, team) for team in created_teams)

    now = timezone.now()
    new_users = [
        User(
            username=row.key,
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            is_active=row.active,
            password=_unusable_password(),  # they choose one from their invitation or a reset
            date_joined=now,
        )
        for row in plan.new_rows
    ]
    User.objects.bulk_create(new_users, batch_size=WRITE_BATCH)
    if new_users and new_users[0].pk is None:  # backends that cannot return ids from a bulk insert
        ids = {}
        for chunk in _chunks([user.username for user in new_users]):
            ids.update(User.objects.filter(username__in=chunk).values_list("username", "pk"))
        for user in new_users:
            user.pk = ids[user.username]
    new_employees = [
        Employee(user=user, employee_number=row.employee_number, job_title=row.job_title, team=teams[row.team])
        for user, row in zip(new_users, plan.new_rows, strict=True)
    ]
    Employee.objects.bulk_create(new_employees, batch_size=WRITE_BATCH)

    user_changes: dict[str, dict[int, object]] = defaultdict(dict)
    employee_changes: dict[str, dict[int, object]] = defaultdict(dict)
    for employee, row in plan.changed:
        user = employee.user
        fields = {"first_name": row.first_name, "last_name": row.last_name, "email": row.email, "is_active": row.active}
        for name, value in fields.items():
            if getattr(user, name) != value:
                user_changes[name][user.pk] = value
                setattr(user, name, value)
        team = teams[row.team]
        if employee.job_title != row.job_title:
            employee_changes["job_title"][employee.pk] = employee.job_title = row.job_title
        if employee.team_id != team.pk:
            employee_changes["team"][employee.pk] = team.pk
            employee.team = team
    _changes_write(User, user_changes)
    _changes_write(Employee, employee_changes)

    for chunk in _chunks([employee.user_id for employee in plan.deactivate]):
        User.objects.filter(pk__in=chunk).update(is_active=False)

    # Team managers: the file's people by their new email, everyone else by their current one.
    in_file = {row.employee_number for row in plan.rows}
    by_key = {key: employee for key, employee in existing.by_key.items() if employee.employee_number not in in_file}
    by_key.update((row.key, employee) for row, employee in zip(plan.new_rows, new_employees, strict=True))
    by_key.update((row.key, employee) for employee, row in plan.changed)
    by_key.update((row.key, existing.by_number[row.employee_number]) for row in plan.rows if row.key not in by_key)
    managed = []
    for name, manager_key in plan.team_manager.items():
        team = teams[name]
        manager = by_key[manager_key] if manager_key else None
        if team.manager_id != (manager.pk if manager else None):
            team.manager = manager
            managed.append(team)
    Team.objects.bulk_update(managed, ["manager"], batch_size=WRITE_BATCH)

    employee_group = Group.objects.get_or_create(name=roles.EMPLOYEE)[0]
    manager_group = Group.objects.get_or_create(name=roles.MANAGER)[0]
    wanted = {(by_key[row.key].user_id, employee_group.pk) for row in plan.rows}
    wanted |= {(by_key[key].user_id, manager_group.pk) for key in plan.team_manager.values() if key}
    Membership = User.groups.through
    have = set(
        Membership.objects.filter(group__in=[employee_group, manager_group]).values_list("user_id", "group_id")
    )
    Membership.objects.bulk_create(
        [Membership(user_id=user_id, group_id=group_id) for user_id, group_id in sorted(wanted - have)],
        batch_size=WRITE_BATCH,
    )
    return new_users
