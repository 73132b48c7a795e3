"""Certification cycles: when a course must be done again, and which work counts toward it.

Recertification means passing the course's final assessment again in a new cycle; lessons (and
the lesson quizzes) done earlier stay done unless the course's `recertification_repeats_lessons`
is on. This module is the one place that rule lives:

- The final assessment is the course's last live QuizPage in tree order. The other quizzes behave
  like lessons: once passed they stay passed, unless the course repeats lessons.
- The first cycle has no start: everything the employee ever did counts. The next cycle opens on
  the day RENEWAL_WINDOW_DAYS days before the current certificate's expiry date, which is the day
  `send_reminders` assigns the recertification. So an expiry opens the new cycle whether or not an
  assignment was made (cron not running, course not live), and an assignment never opens a
  different one. Revoked certificates open nothing (HR reissues them).
- Work counts in a cycle when it happened at or after the cycle's start: quiz attempts by
  `started_at` (so the attempt allowance restarts per cycle, and each quiz's grading policy looks
  at this cycle's attempts only), lesson completions by `completed_at`.
- A cycle is met by a certificate carrying its number. The previous certificate is left alone:
  it stays valid until its own expiry.

Why derived from timestamps rather than an `Attempt.cycle` column: HR may revoke or reissue the
certificate that opened a cycle (a reissue moves the expiry), and a stored number would then
disagree with the certificates; derived, it cannot.

Everything here is pure: callers fetch the certificates (one person's, or a whole grid's in one
query) and ask these functions, so the per-person and set-based reads cannot disagree.
To change the rule (a different window, cycles opened by assignments), change it here.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

RENEWAL_WINDOW_DAYS = 30


def renewal_opens_on(expires_at: datetime) -> date:
    """The day a certificate expiring at `expires_at` opens the next cycle."""
    return timezone.localdate(expires_at) - timedelta(days=RENEWAL_WINDOW_DAYS)


def renewal_open_before(today: date) -> datetime:
    """The set-based form of `renewal_opens_on(expires_at) <= today`: certificates expiring before
    this moment have opened their next cycle by `today` (`expires_at__lt=...` in SQL)."""
    return timezone.make_aware(datetime.combine(today + timedelta(days=RENEWAL_WINDOW_DAYS + 1), time.min))


@dataclass(frozen=True)
class Cycle:
    """An employee's current cycle in one course.

    number: 1 for the first certification, 2 for the first renewal ... (Certificate.cycle).
    starts_at: when work starts counting for it; None in the first cycle (everything counts).
    renews: the certificate whose renewal opened this cycle (None in the first cycle).
    certificate: the latest certificate of this cycle, revoked or not (None until it is met).
    """

    number: int = 1
    starts_at: datetime | None = None
    renews: object = None
    certificate: object = None

    @property
    def is_renewal(self) -> bool:
        return self.number > 1

    @property
    def is_met(self) -> bool:
        return self.certificate is not None and self.certificate.revoked_at is None

    @property
    def recertification_due(self) -> bool:
        """A renewal cycle the employee has not yet passed: shown as "Recertification due <date>"."""
        return self.is_renewal and not self.is_met

    @property
    def due_date(self) -> date | None:
        """The date the renewed certificate expires (the recertification assignment's due date)."""
        return timezone.localdate(self.renews.expires_at) if self.renews is not None else None

    def counts(self, moment: datetime | None) -> bool:
        """Whether work done at `moment` counts in this cycle."""
        return self.starts_at is None or (moment is not None and moment >= self.starts_at)


FIRST = Cycle()


def cycle_of(certificates, *, now: datetime | None = None) -> Cycle:
    """The current cycle, from all of one employee's certificates for one course (any order)."""
    today = timezone.localdate(now or timezone.now())
    certificates = list(certificates)
    opened = [
        c for c in certificates
        if c.revoked_at is None and c.expires_at is not None and renewal_opens_on(c.expires_at) <= today
    ]
    renews = max(opened, key=lambda c: (c.expires_at, c.cycle, c.pk), default=None)
    number = renews.cycle + 1 if renews is not None else 1
    starts_at = (
        timezone.make_aware(datetime.combine(renewal_opens_on(renews.expires_at), time.min)) if renews is not None else None
    )
    own = [c for c in certificates if c.cycle == number]
    certificate = max(own, key=lambda c: (c.issued_at, c.pk), default=None)
    return Cycle(number=number, starts_at=starts_at, renews=renews, certificate=certificate)


def cycles_by_pair(certificates, *, now: datetime | None = None) -> dict[tuple[int, int], Cycle]:
    """Cycles keyed by (employee id, course id) from any number of certificates; pairs without a
    certificate are in their FIRST cycle."""
    grouped: dict[tuple[int, int], list] = {}
    for certificate in certificates:
        grouped.setdefault((certificate.employee_id, certificate.course_id), []).append(certificate)
    return {key: cycle_of(group, now=now) for key, group in grouped.items()}


def final_assessment(items):
    """The course's final assessment: its last quiz in tree order (`items` is a course outline,
    live lessons and quizzes in order), or None for a course without quizzes."""
    return next((item for item in reversed(items) if item.is_quiz), None)


def counted_from(course, items, cycle: Cycle) -> dict[int, datetime]:
    """Page id -> the moment from which that page's completions and attempts count in `cycle`:
    the final assessment in a renewal cycle, and every page when the course repeats lessons.
    Pages not listed count whenever they were done."""
    if cycle.starts_at is None:
        return {}
    if course.recertification_repeats_lessons:
        return {item.pk: cycle.starts_at for item in items}
    final = final_assessment(items)
    return {final.pk: cycle.starts_at} if final is not None else {}


def recertifications_due(certificates, *, today: date):
    """The set-based form of `Cycle.recertification_due` for reports: of a Certificate QuerySet,
    the certificates whose renewal cycle is open on `today` and not yet met, one per employee and
    course (the one `cycle_of` calls `renews`). Its `expires_at` is the recertification's due date.
    """
    model = certificates.model
    opened = Q(revoked_at__isnull=True, expires_at__lt=renewal_open_before(today))
    same_pair = {"employee": OuterRef("employee"), "course": OuterRef("course")}
    later_opened = model.objects.filter(opened, **same_pair).filter(
        Q(expires_at__gt=OuterRef("expires_at"))
        | Q(expires_at=OuterRef("expires_at"), cycle__gt=OuterRef("cycle"))
        | Q(expires_at=OuterRef("expires_at"), cycle=OuterRef("cycle"), pk__gt=OuterRef("pk"))
    )
    met = model.objects.filter(revoked_at__isnull=True, **same_pair, cycle=OuterRef("cycle") + 1)
    return certificates.filter(opened).exclude(Exists(later_opened)).exclude(Exists(met))
