"""Dates as the format has them, read once and shown every way from here.

A page's dates (`Date`) are whole days or moments. A source's (`SourceDate`) may be
known only to the month or the year, ISO 8601's reduced precision: 2025-01, 2025.
A value is a `datetime.date`, a `datetime.datetime` or a `PartialDate`, and every form
one takes on the way out is made here: ISO text (`iso`), words (`display`), its day
(`day_of`), CSL date-parts (`csl_parts`, and back: `from_csl`) and a sort key.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# jan, feb, …: how BibTeX and most people abbreviate them.
_MONTH_ABBREVIATIONS = {name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)}
_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


class PartialDate(BaseModel):
    """A date known only to the month or the year (ISO 8601's reduced precision): 2025-01."""

    model_config = ConfigDict(frozen=True)
    year: int
    month: int | None = None

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


AnyDate = datetime.date | PartialDate  # datetime.datetime is a datetime.date


def parse_date(value: Any) -> Any:
    """Accept YAML's own dates and ISO 8601 text; refuse numbers, which are never dates."""
    if isinstance(value, (datetime.date, PartialDate)):
        return value
    if isinstance(value, str):
        text = value.strip()
        for parse in (datetime.date.fromisoformat, datetime.datetime.fromisoformat):
            try:
                return parse(text)
            except ValueError:
                pass
        raise ValueError(f'expected an ISO 8601 date such as 2025-01-14; got "{value}"')
    raise ValueError(f"expected an ISO 8601 date such as 2025-01-14; got {value!r}")


def parse_source_date(value: Any) -> Any:
    """As `parse_date`, and a year-month or a year alone as a `PartialDate`."""
    if isinstance(value, str):
        match = _YEAR_MONTH.match(value.strip())
        if match:
            year, month = int(match[1]), int(match[2]) if match[2] else None
            if month is not None and not 1 <= month <= 12:
                raise ValueError(f'"{value}" is not a month of a year')
            if year < 1:  # no calendar (nor Python's dates) has a year 0
                raise ValueError(f'"{value}": years start at 1')
            return PartialDate(year=year, month=month)
    return parse_date(value)


def iso(value: AnyDate | None) -> str:
    """2025-01-14, 2025-01-14T10:30:00+09:00, 2025-01 or 2025; "" for no date."""
    return value.isoformat() if value is not None else ""


def display(value: AnyDate | None) -> str:
    """14 January 2025; January 2025 or 2025 for a date known only to the month or year."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return f"{MONTHS[value.month - 1]} {value.year}" if value.month else str(value.year)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def day_of(value: AnyDate | None) -> datetime.date | None:
    """The day of a date or a moment; None for a date known only to the month or year."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def sort_key(value: AnyDate) -> datetime.datetime:
    """Dates, moments and months in one order (a month sorts as its first day)."""
    if isinstance(value, PartialDate):
        return datetime.datetime(value.year, value.month or 1, 1)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return datetime.datetime(value.year, value.month, value.day)


def csl_parts(value: AnyDate) -> list[int]:
    """CSL-JSON's date-parts: [year, month, day], or as many of them as are known."""
    if isinstance(value, PartialDate):
        return [value.year] + ([value.month] if value.month else [])
    return [value.year, value.month, value.day]


def from_csl(value: Any) -> str | None:
    """A CSL-JSON date ({"date-parts": [[2025, 1, 14]]}) as the format writes it: 2025-01-14."""
    parts = (value or {}).get("date-parts", [[]])[0] if isinstance(value, dict) else []
    parts = [int(p) for p in parts if str(p).isdigit()]
    if not parts:
        return None
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts[:3]))


def month_number(name: str) -> int | None:
    """1 to 12 for a month's English name or its first three letters (jan, Feb, March)."""
    return _MONTH_ABBREVIATIONS.get(name.strip()[:3].lower())


# What editors are told (JSON Schema): the text a writer types, not the Python value.
_DATE_TEXT = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
_PARTIAL_DATE_TEXT = r"^\d{4}(-\d{2}(-\d{2}([T ].*)?)?)?$"

Date = Annotated[
    datetime.datetime | datetime.date,
    BeforeValidator(parse_date),
    WithJsonSchema({"type": "string", "pattern": _DATE_TEXT, "description": "ISO 8601: 2025-01-14"}),
]
SourceDate = Annotated[
    datetime.datetime | datetime.date | PartialDate,
    BeforeValidator(parse_source_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _PARTIAL_DATE_TEXT,
            "description": "ISO 8601: 2025-01-14, or 2025-01 or 2025 when that is all that is known",
        }
    ),
]
