"""Relative date and time phrases, resolved by code: a tool call carries the user's words
("Friday", "tomorrow at 9am") and the executor turns them into dates, so neither the dataset nor
the model computes a date by hand.

Weeks run Monday to Sunday. Rules for the ambiguous phrases:

* "Friday", "this Friday", "on Friday", "by Friday": the next Friday strictly after today
  (today + 7 when today is a Friday).
* "next Friday": the Friday of the following Monday-Sunday week.
* "end of the week": the Friday of the current week (today on a Friday), or next week's
  Friday on a Saturday or Sunday.
* "next week": the Monday of the following week.
* "January 31", "Jan 31st", "31 January", "the 31st of January": the next occurrence on or
  after today (Feb 29 waits for the next leap year).
"""

import calendar
import datetime as dt
import random
import re

WEEKDAYS = tuple(calendar.day_name)  # ("Monday", ..., "Sunday")
MONTHS = tuple(calendar.month_name)[1:]  # ("January", ..., "December")
NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

DATE_PHRASE_KINDS = (
    "relative_day",  # today, tonight, tomorrow, the day after tomorrow
    "weekday",  # Friday, on/this/by Friday
    "next_weekday",  # next Friday
    "in_n",  # in 3 days, in two weeks
    "end_of_week",
    "next_week",
    "end_of_month",
    "month_day",  # January 31, Jan 31st, 31 January
    "iso",  # 2026-12-04
)

_WEEKDAY_INDEX = {name.lower(): i for i, name in enumerate(WEEKDAYS)}
_MONTH_INDEX = {name.lower(): i for i, name in enumerate(MONTHS, start=1)}
_MONTH_INDEX.update({name[:3].lower(): i for i, name in enumerate(MONTHS, start=1)})
_MONTH_INDEX["sept"] = 9
_NUMBER_VALUE = {word: i for i, word in enumerate(NUMBER_WORDS, start=1)}
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "tomorrow": 1, "the day after tomorrow": 2}

_MONTH = "(?P<month>" + "|".join(sorted(_MONTH_INDEX, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY_RE = re.compile(r"(?:(?P<qualifier>this|next)\s+)?(?P<weekday>%s)" % "|".join(_WEEKDAY_INDEX))
_IN_N_RE = re.compile(r"in\s+(?P<n>\d+|" + "|".join(NUMBER_WORDS) + r")\s+(?P<unit>day|week)s?")
_MONTH_DAY_RES = (  # "January 31st" / "the 31st of January"
    re.compile(_MONTH + r"\s+" + _DAY),
    re.compile(r"(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH),
)
_END_OF_WEEK_RE = re.compile(r"(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week")
_END_OF_MONTH_RE = re.compile(r"(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month")
_TIME_RE = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?(?:\s*(?P<meridiem>[ap])\.?m\.?)?")
_TODAY_LINE_RE = re.compile(r"Today is (?P<weekday>%s), (?P<date>\d{4}-\d{2}-\d{2})\." % "|".join(WEEKDAYS))


def format_date(d: dt.date) -> str:
    """`d` as YYYY-MM-DD."""
    return d.isoformat()


def weekday_name(d: dt.date) -> str:
    """English weekday name of `d`, e.g. "Monday"."""
    return WEEKDAYS[d.weekday()]


def today_line(d: dt.date) -> str:
    """The sentence every system prompt carries, e.g. "Today is Monday, 2026-11-30."."""
    return f"Today is {weekday_name(d)}, {format_date(d)}."


def parse_today_line(text: str) -> dt.date | None:
    """The date of the first `today_line` sentence in `text`; None if there is none.

    Raises ValueError when the sentence's weekday contradicts its date.
    """
    match = _TODAY_LINE_RE.search(text)
    if match is None:
        return None
    d = dt.date.fromisoformat(match["date"])
    if weekday_name(d) != match["weekday"]:
        raise ValueError(f"{match[0]!r}: {match['date']} is a {weekday_name(d)}")
    return d


def _normalize(phrase: str) -> str:
    return " ".join(phrase.lower().replace(",", " ").split()).rstrip(".!?")


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _next_month_day(month: int, day: int, today: dt.date) -> dt.date:
    """The first valid (month, day) on or after today; Feb 29 waits for a leap year."""
    if day > calendar.monthrange(2000, month)[1]:  # 2000 is a leap year
        raise ValueError(f"{MONTHS[month - 1]} has no day {day}")
    year = today.year
    while True:
        if day <= calendar.monthrange(year, month)[1] and dt.date(year, month, day) >= today:
            return dt.date(year, month, day)
        year += 1


def resolve_date(phrase: str, today: dt.date) -> dt.date:
    """The date a date phrase means, seen from `today`; ValueError if the phrase is unsupported."""
    text = re.sub(r"^(?:on|by)\s+", "", _normalize(phrase))
    if text in _RELATIVE_DAYS:
        return today + dt.timedelta(days=_RELATIVE_DAYS[text])
    if text == "next week":
        return _monday(today) + dt.timedelta(days=7)
    if _END_OF_WEEK_RE.fullmatch(text):
        friday = _monday(today) + dt.timedelta(days=4)
        return friday + dt.timedelta(days=7) if today > friday else friday
    if _END_OF_MONTH_RE.fullmatch(text):
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if match := _WEEKDAY_RE.fullmatch(text):
        target = _WEEKDAY_INDEX[match["weekday"]]
        if match["qualifier"] == "next":
            return _monday(today) + dt.timedelta(days=7 + target)
        return today + dt.timedelta(days=(target - today.weekday() - 1) % 7 + 1)
    if match := _IN_N_RE.fullmatch(text):
        n = int(match["n"]) if match["n"].isdigit() else _NUMBER_VALUE[match["n"]]
        return today + dt.timedelta(days=n * (7 if match["unit"] == "week" else 1))
    for pattern in _MONTH_DAY_RES:
        if match := pattern.fullmatch(text):
            return _next_month_day(_MONTH_INDEX[match["month"]], int(match["day"]), today)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    raise ValueError(f"unsupported date phrase: {phrase!r}")


def resolve_time(phrase: str) -> tuple[int, int]:
    """(hour, minute) of "3:30pm", "9 am", "14:00", "noon", "midnight", optionally "at ..."; else ValueError."""
    text = re.sub(r"^at\s+", "", _normalize(phrase))
    if text == "noon":
        return 12, 0
    if text == "midnight":
        return 0, 0
    match = _TIME_RE.fullmatch(text)
    if match is None or (match["minute"] is None and match["meridiem"] is None):
        raise ValueError(f"unsupported time phrase: {phrase!r}")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["meridiem"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour out of range in {phrase!r}")
        hour = hour % 12 + (12 if match["meridiem"] == "p" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"time out of range in {phrase!r}")
    return hour, minute


def resolve_datetime(phrase: str, today: dt.date) -> str:
    """"tomorrow at 3:30pm" -> "YYYY-MM-DDTHH:MM"; a bare "at 4pm" means today; an ISO
    "YYYY-MM-DDTHH:MM" is checked and kept."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", phrase.strip()):
        return dt.datetime.fromisoformat(phrase.strip()).strftime("%Y-%m-%dT%H:%M")
    match = re.fullmatch(r"(?:(?P<date>.+?)\s+)?at\s+(?P<time>.+)", _normalize(phrase))
    if match is None:
        raise ValueError(f"unsupported date-time phrase: {phrase!r} (expected '<date> at <time>')")
    d = resolve_date(match["date"], today) if match["date"] else today
    hour, minute = resolve_time(match["time"])
    return f"{format_date(d)}T{hour:02d}:{minute:02d}"


DATE_ARGUMENT_RESOLVERS = {
    "date-phrase": lambda phrase, today: format_date(resolve_date(phrase, today)),
    "datetime-phrase": resolve_datetime,
}
"""How a tool argument whose schema has ``"format": "date-phrase"`` (or "datetime-phrase") is
turned into YYYY-MM-DD (or YYYY-MM-DDTHH:MM): the model copies the user's words, code resolves them."""


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(rng: random.Random, n: int) -> str:
    return rng.choice([str(n), NUMBER_WORDS[n - 1]]) if n <= len(NUMBER_WORDS) else str(n)


def _month_day_phrase(rng: random.Random, d: dt.date) -> str:
    month = rng.choice([MONTHS[d.month - 1], MONTHS[d.month - 1][:3]])
    day = rng.choice([str(d.day), _ordinal(d.day)])
    return rng.choice([f"{month} {day}", f"{day} {month}", f"the {_ordinal(d.day)} of {month}"])


def _sample(rng: random.Random, kind: str, today: dt.date) -> tuple[str, dt.date]:
    """Pick the target date first, then render a phrase for it (the resolver is the other direction)."""
    by = rng.choice(["", "by "])
    if kind == "relative_day":
        offset = rng.randint(0, 2)
        words = [["today", "tonight"], ["tomorrow"], ["the day after tomorrow"]][offset]
        return rng.choice(words), today + dt.timedelta(offset)
    if kind == "weekday":
        d = today + dt.timedelta(rng.randint(1, 7))
        return rng.choice(["", "on ", "this ", "by "]) + weekday_name(d), d
    if kind == "next_weekday":
        d = today + dt.timedelta(7 - today.weekday() + rng.randint(0, 6))
        return f"{by}next {weekday_name(d)}", d
    if kind == "in_n":
        unit, days, n = rng.choice([("day", 1, rng.randint(1, 14)), ("week", 7, rng.randint(1, 4))])
        return f"in {_number(rng, n)} {unit}{'s' if n > 1 else ''}", today + dt.timedelta(days * n)
    if kind == "end_of_week":
        phrase = rng.choice(["the end of the week", "the end of this week", "end of the week"])
        return by + phrase, today + dt.timedelta((4 - today.weekday()) % 7)
    if kind == "next_week":
        return "next week", today + dt.timedelta(7 - today.weekday())
    if kind == "end_of_month":
        phrase = rng.choice(["the end of the month", "the end of this month", "end of the month"])
        first_of_next = (today.replace(day=28) + dt.timedelta(4)).replace(day=1)
        return by + phrase, first_of_next - dt.timedelta(1)
    if kind == "month_day":
        d = today + dt.timedelta(rng.randint(0, 364))
        return rng.choice(["", "on ", "by "]) + _month_day_phrase(rng, d), d
    if kind == "iso":
        d = today + dt.timedelta(rng.randint(0, 400))
        return format_date(d), d
    raise ValueError(f"unknown date phrase kind {kind!r}; expected one of {DATE_PHRASE_KINDS}")


def sample_date_phrase(rng: random.Random, today: dt.date, kinds=None) -> tuple[str, dt.date]:
    """A random natural date phrase of one of `kinds` (default: all) and the date it means."""
    return _sample(rng, rng.choice(list(kinds or DATE_PHRASE_KINDS)), today)


def sample_time_phrase(rng: random.Random) -> tuple[str, tuple[int, int]]:
    """A random time-of-day phrase ("3:30pm", "9 am", "14:00", "noon", ...) and its (hour, minute)."""
    forms = ["compact", "spaced", "upper", "24h", "noon", "midnight"]
    form = rng.choices(forms, weights=[3, 3, 1, 2, 1, 1])[0]
    if form == "noon":
        return "noon", (12, 0)
    if form == "midnight":
        return "midnight", (0, 0)
    hour, minute = rng.randint(7, 21), rng.choice([0, 0, 15, 30, 45])
    if form == "24h":
        return f"{hour:02d}:{minute:02d}", (hour, minute)
    clock = f"{(hour - 1) % 12 + 1}" + (f":{minute:02d}" if minute or rng.random() < 0.3 else "")
    meridiem = "pm" if hour >= 12 else "am"
    phrase = {"compact": clock + meridiem, "spaced": f"{clock} {meridiem}", "upper": f"{clock} {meridiem.upper()}"}
    return phrase[form], (hour, minute)
