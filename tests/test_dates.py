"""Date/time phrase resolution against hand-checked calendars (expected dates are literals)."""

import datetime as dt
import random

import pytest

from agentic_tuning.dates import (
    DATE_PHRASE_KINDS,
    format_date,
    parse_today_line,
    resolve_date,
    resolve_datetime,
    resolve_time,
    sample_date_phrase,
    sample_time_phrase,
    today_line,
    weekday_name,
)

MONDAY = dt.date(2026, 11, 30)  # also the last day of November
FRIDAY = dt.date(2026, 12, 4)
SATURDAY = dt.date(2026, 12, 5)
SUNDAY = dt.date(2026, 12, 6)
NEW_YEARS_EVE = dt.date(2026, 12, 31)  # a Thursday
LEAP_FEB = dt.date(2028, 2, 27)  # a Sunday in a leap February
PLAIN_FEB = dt.date(2027, 2, 27)  # a Saturday in a non-leap February
ALL_TODAYS = [MONDAY, FRIDAY, SATURDAY, SUNDAY, NEW_YEARS_EVE, LEAP_FEB, PLAIN_FEB]


def test_fixture_weekdays():
    assert [weekday_name(d) for d in ALL_TODAYS] == [
        "Monday", "Friday", "Saturday", "Sunday", "Thursday", "Sunday", "Saturday",
    ]


CASES = [
    # (today, phrase, expected)
    (MONDAY, "today", "2026-11-30"),
    (MONDAY, "tonight", "2026-11-30"),
    (MONDAY, "tomorrow", "2026-12-01"),
    (MONDAY, "the day after tomorrow", "2026-12-02"),
    (MONDAY, "Friday", "2026-12-04"),
    (MONDAY, "this Friday", "2026-12-04"),
    (MONDAY, "on Friday", "2026-12-04"),
    (MONDAY, "by Friday", "2026-12-04"),
    (MONDAY, "Monday", "2026-12-07"),
    (MONDAY, "next Friday", "2026-12-11"),
    (MONDAY, "next Monday", "2026-12-07"),
    (MONDAY, "by next Wednesday", "2026-12-09"),
    (MONDAY, "in 3 days", "2026-12-03"),
    (MONDAY, "in three days", "2026-12-03"),
    (MONDAY, "in 1 day", "2026-12-01"),
    (MONDAY, "in ten days", "2026-12-10"),
    (MONDAY, "in 2 weeks", "2026-12-14"),
    (MONDAY, "in one week", "2026-12-07"),
    (MONDAY, "end of the week", "2026-12-04"),
    (MONDAY, "by the end of this week", "2026-12-04"),
    (MONDAY, "next week", "2026-12-07"),
    (MONDAY, "end of the month", "2026-11-30"),
    (MONDAY, "January 31", "2027-01-31"),
    (MONDAY, "Jan 31", "2027-01-31"),
    (MONDAY, "31 January", "2027-01-31"),
    (MONDAY, "January 31st", "2027-01-31"),
    (MONDAY, "the 31st of January", "2027-01-31"),
    (MONDAY, "Dec 3rd", "2026-12-03"),
    (MONDAY, "Sept 2", "2027-09-02"),
    (MONDAY, "November 30", "2026-11-30"),
    (MONDAY, "November 29", "2027-11-29"),
    (MONDAY, "by December 24", "2026-12-24"),
    (MONDAY, "2026-12-04", "2026-12-04"),
    (MONDAY, "on 2027-03-15", "2027-03-15"),
    (FRIDAY, "Friday", "2026-12-11"),
    (FRIDAY, "this Friday", "2026-12-11"),
    (FRIDAY, "Saturday", "2026-12-05"),
    (FRIDAY, "Thursday", "2026-12-10"),
    (FRIDAY, "next Friday", "2026-12-11"),
    (FRIDAY, "next Saturday", "2026-12-12"),
    (FRIDAY, "end of the week", "2026-12-04"),
    (FRIDAY, "next week", "2026-12-07"),
    (FRIDAY, "end of the month", "2026-12-31"),
    (SATURDAY, "end of the week", "2026-12-11"),
    (SATURDAY, "Sunday", "2026-12-06"),
    (SATURDAY, "next Sunday", "2026-12-13"),
    (SUNDAY, "Monday", "2026-12-07"),
    (SUNDAY, "next Monday", "2026-12-07"),
    (SUNDAY, "Sunday", "2026-12-13"),
    (SUNDAY, "next Sunday", "2026-12-13"),
    (SUNDAY, "Friday", "2026-12-11"),
    (SUNDAY, "end of the week", "2026-12-11"),
    (SUNDAY, "next week", "2026-12-07"),
    (NEW_YEARS_EVE, "tomorrow", "2027-01-01"),
    (NEW_YEARS_EVE, "the day after tomorrow", "2027-01-02"),
    (NEW_YEARS_EVE, "Friday", "2027-01-01"),
    (NEW_YEARS_EVE, "January 1", "2027-01-01"),
    (NEW_YEARS_EVE, "Dec 31", "2026-12-31"),
    (NEW_YEARS_EVE, "Dec 30", "2027-12-30"),
    (NEW_YEARS_EVE, "in 1 week", "2027-01-07"),
    (NEW_YEARS_EVE, "next week", "2027-01-04"),
    (NEW_YEARS_EVE, "end of the month", "2026-12-31"),
    (LEAP_FEB, "tomorrow", "2028-02-28"),
    (LEAP_FEB, "in 2 days", "2028-02-29"),
    (LEAP_FEB, "in 3 days", "2028-03-01"),
    (LEAP_FEB, "end of the month", "2028-02-29"),
    (LEAP_FEB, "February 29", "2028-02-29"),
    (PLAIN_FEB, "in 2 days", "2027-03-01"),
    (PLAIN_FEB, "end of the month", "2027-02-28"),
    (PLAIN_FEB, "February 29", "2028-02-29"),
    (PLAIN_FEB, "Feb 27", "2027-02-27"),
]


@pytest.mark.parametrize("today, phrase, expected", CASES)
def test_resolve_date(today, phrase, expected):
    assert format_date(resolve_date(phrase, today)) == expected


@pytest.mark.parametrize("phrase", ["TOMORROW", "Next FRIDAY", "JAN 31ST", "  in   Two  Weeks "])
def test_resolve_date_is_case_and_space_insensitive(phrase):
    assert resolve_date(phrase, MONDAY) == resolve_date(" ".join(phrase.lower().split()), MONDAY)


@pytest.mark.parametrize("phrase", [
    "", "someday", "next month", "last Friday", "Fridays", "in many days", "in -2 days",
    "February 30", "April 31", "Smarch 3", "2026-13-01", "2026-12-4", "yesterday",
])
def test_resolve_date_rejects_unsupported(phrase):
    with pytest.raises(ValueError):
        resolve_date(phrase, MONDAY)


@pytest.mark.parametrize("phrase, expected", [
    ("3:30pm", (15, 30)),
    ("3:30 pm", (15, 30)),
    ("3:30 P.M.", (15, 30)),
    ("3pm", (15, 0)),
    ("9 am", (9, 0)),
    ("9AM", (9, 0)),
    ("12am", (0, 0)),
    ("12pm", (12, 0)),
    ("12:15 AM", (0, 15)),
    ("14:00", (14, 0)),
    ("9:05", (9, 5)),
    ("00:00", (0, 0)),
    ("noon", (12, 0)),
    ("midnight", (0, 0)),
    ("at 4pm", (16, 0)),
    ("at noon", (12, 0)),
])
def test_resolve_time(phrase, expected):
    assert resolve_time(phrase) == expected


@pytest.mark.parametrize("phrase", ["", "3", "13pm", "0am", "25:00", "9:60", "3:30xm", "later", "14:00 pm"])
def test_resolve_time_rejects_unsupported(phrase):
    with pytest.raises(ValueError):
        resolve_time(phrase)


@pytest.mark.parametrize("phrase, expected", [
    ("tomorrow at 3:30pm", "2026-12-01T15:30"),
    ("Friday at 9am", "2026-12-04T09:00"),
    ("at 4pm", "2026-11-30T16:00"),
    ("January 31 at noon", "2027-01-31T12:00"),
    ("in 2 days at 10:15", "2026-12-02T10:15"),
    ("next Monday at midnight", "2026-12-07T00:00"),
    ("Tonight at 8 PM", "2026-11-30T20:00"),
    ("2027-02-01T07:05", "2027-02-01T07:05"),
])
def test_resolve_datetime(phrase, expected):
    assert resolve_datetime(phrase, MONDAY) == expected


@pytest.mark.parametrize("phrase", ["tomorrow", "tomorrow at", "someday at 3pm", "tomorrow at 25:00", "3pm", "2027-02-30T07:05"])
def test_resolve_datetime_rejects_unsupported(phrase):
    with pytest.raises(ValueError):
        resolve_datetime(phrase, MONDAY)


def test_formatting():
    assert format_date(dt.date(2027, 1, 5)) == "2027-01-05"
    assert weekday_name(MONDAY) == "Monday"
    assert today_line(MONDAY) == "Today is Monday, 2026-11-30."
    assert today_line(NEW_YEARS_EVE) == "Today is Thursday, 2026-12-31."


def test_parse_today_line_finds_the_sentence_anywhere():
    prompt = "You manage tasks.\nToday is Friday, 2026-12-04. Use the tools."
    assert parse_today_line(prompt) == FRIDAY
    assert parse_today_line("no date here") is None
    assert parse_today_line("Today is 2026-12-04.") is None
    with pytest.raises(ValueError):
        parse_today_line("Today is Monday, 2026-12-04.")


def test_today_line_round_trips_over_two_years():
    for offset in range(731):
        d = MONDAY + dt.timedelta(days=offset)
        assert parse_today_line(f"prefix {today_line(d)} suffix") == d


@pytest.mark.parametrize("today", ALL_TODAYS)
def test_sampled_date_phrases_resolve_to_their_sampled_date(today):
    rng = random.Random(today.toordinal())
    phrases = set()
    for _ in range(500):
        phrase, expected = sample_date_phrase(rng, today)
        assert resolve_date(phrase, today) == expected, phrase
        assert expected >= today, phrase
        phrases.add(phrase)
    assert len(phrases) > 150  # varied surface forms, not a handful of templates


@pytest.mark.parametrize("kind", DATE_PHRASE_KINDS)
def test_every_kind_samples_round_trip(kind):
    rng = random.Random(kind)
    for today in ALL_TODAYS:
        for _ in range(50):
            phrase, expected = sample_date_phrase(rng, today, kinds=[kind])
            assert resolve_date(phrase, today) == expected, (today, phrase)


def test_sample_kinds_restrict_the_form():
    rng = random.Random(0)
    for _ in range(20):
        phrase, d = sample_date_phrase(rng, MONDAY, kinds=["iso"])
        assert phrase == format_date(d)
    with pytest.raises(ValueError):
        sample_date_phrase(rng, MONDAY, kinds=["fortnight"])


def test_sampling_is_deterministic_per_seed():
    def draw(seed):
        rng = random.Random(seed)
        return [(sample_date_phrase(rng, MONDAY), sample_time_phrase(rng)) for _ in range(50)]

    assert draw(3) == draw(3)
    assert draw(3) != draw(4)


def test_sampled_time_phrases_resolve_to_their_sampled_time():
    rng = random.Random(11)
    phrases = set()
    for _ in range(500):
        phrase, expected = sample_time_phrase(rng)
        assert resolve_time(phrase) == expected, phrase
        assert resolve_time("at " + phrase) == expected, phrase
        phrases.add(phrase)
    assert {"noon", "midnight"} <= phrases
    assert len(phrases) > 60
