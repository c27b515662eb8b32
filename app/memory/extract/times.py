"""Time phrases in what a user says, resolved against the message's own time.

"yesterday", "last March", "two years ago", "in two weeks", "since 2019", "next month", "on May 3rd"
become an absolute phrase for the memory text ("on 9 May 2026", "in March 2026") and a `validAt`
with the precision the phrase has ("2026-05-09", "2026-03", "2019"). Pure functions, no clock.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({"tue": 1, "tues": 1, "weds": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4})
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a couple": 2,
    "couple of": 2, "a few": 3, "few": 3, "several": 3,
}  # fmt: skip
_NUM = r"(\d{1,3}|a couple of|a couple|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"  # noqa: E501
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"  # noqa: E501
# Abbreviations only where no other word is spelled so ("last Fri"; not "sun", "sat", "wed").
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|tue|weds|thurs|thur|thu|fri)\b"
_UNIT = r"(day|week|month|year|weekend)s?"


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A resolved time phrase: where it is in the text, how to say it, and when it points at."""

    start: int
    end: int
    phrase: str  # absolute wording for the memory text, e.g. "in March 2026"
    valid_at: str  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    future: bool = False
    since: bool = False


def day_text(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def month_text(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}"


def _add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _number(text: str) -> int:
    text = text.strip().lower()
    return int(text) if text.isdigit() else NUMBERS.get(text, 1)


def _shift(now: date, n: int, unit: str) -> tuple[date, str]:
    """`n` units from now (negative: ago), and the precision that offset deserves."""
    unit = unit.rstrip("s")
    if unit == "day":
        return now + timedelta(days=n), "day"
    if unit in ("week", "weekend"):
        return now + timedelta(weeks=n), "day"
    if unit == "month":
        return _add_months(now, n), "month"
    return date(now.year + n, now.month, min(now.day, 28)), "year"


def _at(d: date, precision: str, *, future: bool = False, around: bool = False) -> tuple[str, str]:
    if precision == "day":
        return (f"around {day_text(d)}" if around else f"on {day_text(d)}"), d.isoformat()
    if precision == "month":
        return f"in {month_text(d.year, d.month)}", f"{d.year:04d}-{d.month:02d}"
    return f"in {d.year}", f"{d.year:04d}"


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:ever )?since (?:(?:last )?{_MONTH} )?(\d{{4}})\b", re.I), "since_year"),
    (re.compile(rf"\bsince (?:last )?{_MONTH}\b", re.I), "since_month"),
    (re.compile(rf"\bsince {_NUM} {_UNIT} ago\b", re.I), "since_ago"),
    (re.compile(r"\bsince (?:last )?(summer|winter|spring|fall|autumn)\b", re.I), "since_season"),
    (re.compile(r"\b(?:the )?day before yesterday\b", re.I), "day_before_yesterday"),
    (re.compile(r"\b(?:yesterday|last night)\b", re.I), "yesterday"),
    (re.compile(r"\b(?:today|tonight|this morning|this afternoon|this evening)\b", re.I), "today"),
    (re.compile(r"\btomorrow\b", re.I), "tomorrow"),
    (re.compile(r"\b(?:earlier|later) this (week|month|year)\b", re.I), "this_unit"),
    (re.compile(r"\bthis (week|weekend|month|year)\b", re.I), "this_unit"),
    (re.compile(rf"\b(last|next|this|in|on|this past|this coming) {_WEEKDAY}\b", re.I), "weekday"),
    (re.compile(rf"\b(last|next|this) {_MONTH}\b", re.I), "rel_month"),
    (re.compile(r"\b(last|next|past|coming) (week|weekend|month|year|summer|winter|spring|fall|autumn)\b", re.I), "rel_unit"),  # noqa: E501
    (re.compile(rf"\b{_NUM} {_UNIT} ago\b", re.I), "ago"),
    (re.compile(rf"\bfor (about |almost |nearly |over |around )?{_NUM} (year|month)s?(?: now)?\b", re.I), "for_n"),  # noqa: E501
    (re.compile(rf"\b(?:in|within) (?:the next )?{_NUM} {_UNIT}(?: time)?\b", re.I), "in_n"),
    (re.compile(rf"\b(?:on |in )?(?:the )?(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH}(?:,? (\d{{4}}))?\b", re.I), "day_month"),  # noqa: E501
    (re.compile(rf"\b(?:on |in )?{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b", re.I), "month_day"),  # noqa: E501
    (re.compile(rf"\b(?:in |back in )?{_MONTH},? (\d{{4}})\b", re.I), "month_year"),
    (re.compile(r"\b(?:in |back in )(\d{4})\b", re.I), "year"),
    (re.compile(rf"\bin {_MONTH}\b", re.I), "in_month"),
]  # fmt: skip

_SEASONS = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}


def _resolve(  # noqa: PLR0911, PLR0912, PLR0915 - one branch per pattern
    kind: str, m: re.Match[str], now: date, past: bool = False
) -> tuple[str, str, bool, bool] | None:
    g = [x.lower() if x else x for x in m.groups()]
    if kind == "since_year":
        month = MONTHS.get(g[0]) if g[0] else None
        return (
            (f"since {month_text(int(g[1]), month)}" if month else f"since {g[1]}"),
            (f"{g[1]}-{month:02d}" if month else g[1]),
            False,
            True,
        )
    if kind == "since_month":
        month = MONTHS[g[0]]
        year = now.year if month <= now.month else now.year - 1
        return f"since {month_text(year, month)}", f"{year:04d}-{month:02d}", False, True
    if kind == "since_season":
        middle = _SEASONS[g[0]]
        year = now.year if middle < now.month else now.year - 1
        return f"since the {g[0]} of {year}", f"{year:04d}", False, True
    if kind == "since_ago":
        d, precision = _shift(now, -_number(g[0]), g[1])
        phrase, valid = _at(d, precision)
        return "since " + phrase.split(" ", 1)[1], valid, False, True
    if kind == "day_before_yesterday":
        d = now - timedelta(days=2)
        return f"on {day_text(d)}", d.isoformat(), False, False
    if kind == "yesterday":
        d = now - timedelta(days=1)
        return f"on {day_text(d)}", d.isoformat(), False, False
    if kind == "today":
        return f"on {day_text(now)}", now.isoformat(), False, False
    if kind == "tomorrow":
        d = now + timedelta(days=1)
        return f"on {day_text(d)}", d.isoformat(), True, False
    if kind == "this_unit":
        if g[0] in ("week", "weekend"):
            return f"in the week of {day_text(now)}", now.isoformat(), False, False
        if g[0] == "month":
            return f"in {month_text(now.year, now.month)}", f"{now.year:04d}-{now.month:02d}", False, False
        return f"in {now.year}", f"{now.year:04d}", False, False
    if kind == "weekday":
        target = WEEKDAYS[g[1]]
        if g[0] in ("next", "this coming"):
            delta = (target - now.weekday()) % 7 or 7
            d = now + timedelta(days=delta)
            return f"on {day_text(d)}", d.isoformat(), True, False
        delta = (now.weekday() - target) % 7 or 7
        d = now - timedelta(days=delta)
        return f"on {day_text(d)}", d.isoformat(), False, False
    if kind == "rel_month":
        month = MONTHS[g[1]]
        if g[0] == "last":
            year = now.year if month < now.month else now.year - 1
        elif g[0] == "next":
            year = now.year if month > now.month else now.year + 1
        else:
            year = now.year
        return f"in {month_text(year, month)}", f"{year:04d}-{month:02d}", g[0] == "next", False
    if kind == "rel_unit":
        direction = -1 if g[0] in ("last", "past") else 1
        unit = g[1]
        if unit in _SEASONS:
            # The season's middle month decides: "last summer" in May 2026 is 2025's.
            middle = _SEASONS[unit]
            if direction < 0:
                year = now.year if middle < now.month else now.year - 1
            else:
                year = now.year if middle > now.month else now.year + 1
            return f"in the {unit} of {year}", f"{year:04d}", direction > 0, False
        d, precision = _shift(now, direction, unit)
        if unit in ("week", "weekend"):
            return f"in the week of {day_text(d)}", d.isoformat(), direction > 0, False
        phrase, valid = _at(d, precision)
        return phrase, valid, direction > 0, False
    if kind == "ago":
        d, precision = _shift(now, -_number(g[0]), g[1])
        vague = not g[0].isdigit() and g[0] not in ("a", "an", "one")
        if (
            vague
            and g[0] in ("a few", "few", "several", "a couple", "a couple of", "couple of")
            and precision != "day"
        ):
            # "a few years ago" is no year: "a few years before 2023"
            return (
                f"{g[0]} {g[1]}s before {month_text(now.year, now.month) if g[1] == 'month' else now.year}",
                (_at(d, precision)[1]),
                False,
                False,
            )
        phrase, valid = _at(d, precision, around=precision == "day" and (vague or g[1].startswith("week")))
        return phrase, valid, False, False
    if kind == "for_n":
        # "(have) been ... for three years" began three years ago; a plain past "for" did not
        d, precision = _shift(now, -_number(g[1]), g[2])
        phrase, valid = _at(d, precision)
        return f"since {g[0] or ''}{phrase.split(' ', 1)[1]}", valid, False, True
    if kind == "in_n":
        said = m.group(0).lower()
        if ("next" in said or said.startswith("within")) and g[1] not in ("day", "days", "week", "weeks"):
            return None  # "in the next few months" is a span, not "in July"
        d, precision = _shift(now, _number(g[0]), g[1])
        phrase, valid = _at(d, precision, around=precision == "day")
        return phrase, valid, True, False
    if kind in ("day_month", "month_day"):
        day_s, month_s = (g[0], g[1]) if kind == "day_month" else (g[1], g[0])
        month, day = MONTHS[month_s], int(day_s)
        if not 1 <= day <= 31:
            return None
        year = int(g[2]) if g[2] else now.year
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        return f"on {day_text(d)}", d.isoformat(), d > now, False
    if kind == "month_year":
        month, year = MONTHS[g[0]], int(g[1])
        return (
            f"in {month_text(year, month)}",
            f"{year:04d}-{month:02d}",
            (year, month) > (now.year, now.month),
            False,
        )
    if kind == "year":
        return f"in {g[0]}", g[0], int(g[0]) > now.year, False
    if kind == "in_month":
        month = MONTHS[g[0]]  # only after "in": "may" alone is the verb
        if past:  # "passed away in February": the most recent February
            year = now.year if month <= now.month else now.year - 1
            return f"in {month_text(year, month)}", f"{year:04d}-{month:02d}", False, False
        year = now.year if month >= now.month else now.year + 1
        return f"in {month_text(year, month)}", f"{year:04d}-{month:02d}", month > now.month, False
    return None


def find_times(text: str, now: datetime | date, past: bool = False) -> list[TimeRef]:
    """Time phrases in `text`, left to right, not overlapping (the earlier, longer pattern wins).
    `past`: the text is in the past tense, so a bare month ("in February") is the last one gone."""
    today = now.date() if isinstance(now, datetime) else now
    taken: list[tuple[int, int]] = []
    found: list[TimeRef] = []
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if kind == "for_n" and not re.search(r"\b(been|have|has|'ve)\b", text[: m.start()], re.I):
                continue
            resolved = _resolve(kind, m, today, past)
            if resolved is None:
                continue
            phrase, valid_at, future, since = resolved
            taken.append((m.start(), m.end()))
            found.append(TimeRef(m.start(), m.end(), phrase, valid_at, future=future, since=since))
    return sorted(found, key=lambda t: t.start)


_JUST = re.compile(r"\b(?:just|only)\s+$", re.IGNORECASE)


def rewrite_times(text: str, now: datetime | date, past: bool = False) -> tuple[str, list[TimeRef]]:
    """`text` with every time phrase replaced by its absolute wording, and the phrases found."""
    refs = find_times(text, now, past)
    out, last = [], 0
    for ref in refs:
        before = text[last : ref.start]
        if _JUST.search(before) and ref.phrase[:1].islower():
            before = _JUST.sub("", before)  # "just last week" -> "in the week of ...", not "just in ..."
        out.append(before)
        out.append(ref.phrase)
        last = ref.end
    out.append(text[last:])
    return "".join(out), refs


_NOT_SINCE = re.compile(r"\b(?:haven't|hasn't|have not|has not|haven't been|never)\b", re.IGNORECASE)


def annotate_times(text: str, now: datetime | date, past: bool = False) -> tuple[str, list[TimeRef]]:
    """`text` kept as said, each relative time phrase followed by its date in brackets ("I won my
    second tournament last week [the week of 25 April 2022]"), and the phrases found: for a quote."""
    refs = []
    out, last = [], 0
    for ref in find_times(text, now, past):
        out.append(text[last : ref.end])
        last = ref.end
        if ref.future and _NOT_SINCE.search(text[: ref.start]):
            continue  # "I haven't seen her in two years": for two years, not in two years' time
        refs.append(ref)
        if not re.search(r"\d{4}", text[ref.start : ref.end]):
            out.append(f" [{re.sub(r'^(?:in|on) ', '', ref.phrase)}]")
    out.append(text[last:])
    return "".join(out), refs
