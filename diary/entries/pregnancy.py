"""Gestational-week arithmetic: pure functions over dates."""

from dataclasses import dataclass
from datetime import date

PREGNANCY_DAYS = 280  # from the first day of the last period to the due date
LATEST_PREGNANT_DAYS = 44 * 7  # beyond 44+0 without a birth date, the stage is unknown
POSTPARTUM_DAYS = 366  # the diary follows her up to a year after birth


@dataclass(frozen=True)
class Stage:
    """Where a day falls: in pregnancy ("28+3") or after birth (weeks and days since)."""

    after_birth: bool
    weeks: int
    days: int

    @property
    def short(self) -> str:
        """The compact form used by the API and exports: "28+3", or "pp2+4" after birth."""
        prefix = "pp" if self.after_birth else ""
        return f"{prefix}{self.weeks}+{self.days}"


def stage_on(day: date, due_date: date | None, birth_date: date | None = None) -> Stage | None:
    """Return the pregnancy stage on a day, or None when it cannot be known."""
    if birth_date is not None and day >= birth_date:
        since = (day - birth_date).days
        if since > POSTPARTUM_DAYS:
            return None
        return Stage(after_birth=True, weeks=since // 7, days=since % 7)
    if due_date is None:
        return None
    pregnant_days = PREGNANCY_DAYS - (due_date - day).days
    if pregnant_days < 0 or pregnant_days > LATEST_PREGNANT_DAYS:
        return None
    return Stage(after_birth=False, weeks=pregnant_days // 7, days=pregnant_days % 7)
