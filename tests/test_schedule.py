"""Digest schedules (pure): slots in a timezone, weekday sets, DST, and the missed-slot rule."""

from __future__ import annotations

from datetime import datetime, time, timezone

import pytest

from bot.schedule import ScheduleError, Schedule, due_slot, format_weekdays, parse_time, parse_weekdays
from bot.subscriptions import SubscriptionStore

UTC = timezone.utc


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_parsing_times_timezones_and_weekdays():
    assert parse_time("9:05") == time(9, 5) and parse_time("23:59") == time(23, 59)
    for bad in ("24:00", "9am", "", "12:60"):
        with pytest.raises(ScheduleError, match="HH:MM"):
            parse_time(bad)
    with pytest.raises(ScheduleError, match="Area/City"):
        Schedule.parse("09:00", "Mars/Olympus")
    with pytest.raises(ScheduleError, match="Area/City"):
        Schedule.parse("09:00", "../../etc/passwd")
    assert parse_weekdays("mon-fri") == frozenset(range(5))
    assert parse_weekdays("Monday, Wednesday,fri") == frozenset({0, 2, 4})
    assert parse_weekdays("fri-mon") == frozenset({4, 5, 6, 0})
    assert parse_weekdays(None) == parse_weekdays("daily") == frozenset(range(7))
    assert format_weekdays(parse_weekdays("sat-sun")) == "sat-sun"
    assert format_weekdays(parse_weekdays("mon,tue,thu")) == "mon-tue,thu"
    with pytest.raises(ScheduleError, match="weekdays"):
        parse_weekdays("funday")


def test_weekdays_and_timezones_as_a_desk_types_them():
    for days in ("mon wed fri", "Mon, Wed and Fri", "mon/wed/fri"):
        assert parse_weekdays(days) == frozenset({0, 2, 4}), days
    for days in ("Mon–Fri", "mon — fri", "Mon - Fri", "weekday"):  # an en dash: what macOS and iOS type for "--"
        assert parse_weekdays(days) == frozenset(range(5)), days
    assert parse_weekdays("weekend") == parse_weekdays("sat & sun") == frozenset({5, 6})
    assert parse_weekdays("every day") == parse_weekdays("") == frozenset(range(7))
    with pytest.raises(ScheduleError, match="weekdays"):
        parse_weekdays("mon and funday")

    assert Schedule.parse("09:00", "europe/kyiv").tz == "Europe/Kyiv"  # the name as the tz database spells it
    assert Schedule.parse("09:00", " utc ").describe() == "09:00 UTC (daily)"
    assert Schedule.parse("09:00", "America/Argentina/Buenos_Aires").tz == "America/Argentina/Buenos_Aires"
    assert Schedule.parse("09:00", "Etc/GMT-14").next_slot(at(2024, 12, 11, 12)) == at(2024, 12, 11, 19)
    for bad in ("Etc/GMT+14", "nonsense", "right/Europe/Paris", "posix/Europe/Paris", "Europe/"):
        with pytest.raises(ScheduleError, match="Area/City"):
            Schedule.parse("09:00", bad)


def test_a_ukrainian_or_russian_desk_writes_its_weekdays_in_its_own_words():
    for days in ("пн-пт", "Пн–Пт", "будні", "понеділок-п’ятниця", "будни", "понедельник - пятница"):
        assert parse_weekdays(days) == frozenset(range(5)), days
    for days in ("пн, ср і пт", "пн ср та пт", "пн, ср и пт"):
        assert parse_weekdays(days) == frozenset({0, 2, 4}), days
    assert parse_weekdays("вихідні") == parse_weekdays("сб,нд") == parse_weekdays("сб-вс") == frozenset({5, 6})
    assert parse_weekdays("щодня") == parse_weekdays("ежедневно") == frozenset(range(7))
    with pytest.raises(ScheduleError, match="weekdays"):
        parse_weekdays("пн-пятниця-нд")
    plan = Schedule.parse("09:00", "Europe/Kyiv", "пн,ср,пт")  # shown back in the desk's words
    assert plan.describe("пн вт ср чт пт сб нд".split(), "щодня") == "09:00 Europe/Kyiv (пн,ср,пт)"
    assert plan.describe() == "09:00 Europe/Kyiv (mon,wed,fri)"
    assert Schedule.parse("09:00", "UTC", "будни").describe("пн вт ср чт пт сб вс".split(), "ежедневно") == \
        "09:00 UTC (пн-пт)"
    assert Schedule.parse("09:00", "UTC").describe("пн вт ср чт пт сб нд".split(), "щодня") == "09:00 UTC (щодня)"


def test_slots_are_local_times_in_the_timezone():
    tokyo = Schedule.parse("09:00", "Asia/Tokyo")
    assert tokyo.latest_slot(at(2024, 12, 11, 23, 59)) == at(2024, 12, 11, 0, 0)  # 08:59 on the 12th in Tokyo
    assert tokyo.latest_slot(at(2024, 12, 12, 0, 0)) == at(2024, 12, 12, 0, 0)
    assert tokyo.next_slot(at(2024, 12, 12, 0, 0)) == at(2024, 12, 13, 0, 0)

    weekdays = Schedule.parse("17:30", "America/New_York", "mon-fri")
    saturday = at(2024, 12, 14, 23, 0)
    assert weekdays.latest_slot(saturday) == at(2024, 12, 13, 22, 30)  # Friday 17:30 EST
    assert weekdays.next_slot(saturday) == at(2024, 12, 16, 22, 30)  # Monday
    assert weekdays.previous_slot(at(2024, 12, 16, 22, 30)) == at(2024, 12, 13, 22, 30)


def test_daylight_saving_keeps_the_local_time():
    paris = Schedule.parse("09:00", "Europe/Paris")
    assert paris.latest_slot(at(2024, 3, 30, 12)) == at(2024, 3, 30, 8)  # CET, UTC+1
    assert paris.latest_slot(at(2024, 3, 31, 12)) == at(2024, 3, 31, 7)  # CEST, UTC+2
    skipped = Schedule.parse("02:30", "Europe/Paris")  # does not exist on 31 March: runs once, an hour later
    assert skipped.latest_slot(at(2024, 3, 31, 12)) == at(2024, 3, 31, 1, 30)


def test_missed_slots_give_one_digest_and_a_slot_is_never_due_twice():
    daily = Schedule.parse("09:00", "UTC")
    subscribed = at(2024, 12, 1, 12)
    assert due_slot(daily, at(2024, 12, 2, 8, 59), last_slot=None, since=subscribed) is None
    assert due_slot(daily, at(2024, 12, 2, 9, 0), last_slot=None, since=subscribed) == at(2024, 12, 2, 9)
    assert due_slot(daily, at(2024, 12, 2, 9, 5), last_slot=at(2024, 12, 2, 9), since=subscribed) is None
    # down from the 3rd to the 6th: only the latest missed slot is due
    assert due_slot(daily, at(2024, 12, 6, 15), last_slot=at(2024, 12, 2, 9), since=subscribed) == at(2024, 12, 6, 9)
    # a slot before the subscription is not due
    assert due_slot(daily, at(2024, 12, 1, 13), last_slot=None, since=subscribed) is None


def test_a_slot_is_claimed_once_and_released_for_a_retry(tmp_path):
    store = SubscriptionStore(tmp_path / "digests.sqlite")
    store.create()
    store.subscribe(1, 10, Schedule.parse("09:00", "Europe/Paris", "mon-fri"), by=7, now=at(2024, 12, 1))
    [sub] = store.all()
    assert sub.schedule.describe() == "09:00 Europe/Paris (mon-fri)" and sub.last_slot is None
    assert store.claim(1, at(2024, 12, 2, 8)) is True
    assert store.claim(1, at(2024, 12, 2, 8)) is False  # a second process, or a restart: no double post
    assert store.claim(1, at(2024, 12, 1, 8)) is False  # never backwards
    store.release(1, at(2024, 12, 2, 8), None)
    assert store.get(1).last_slot is None and store.claim(1, at(2024, 12, 2, 8)) is True
    store.subscribe(1, 10, Schedule.parse("10:00", "UTC"), by=7, now=at(2024, 12, 3))  # changed: slot kept
    assert store.get(1).last_slot == at(2024, 12, 2, 8) and store.get(1).schedule.describe() == "10:00 UTC (daily)"
    store.covered(1, at(2024, 12, 2, 8, 0, 5))
    assert store.get(1).last_until == at(2024, 12, 2, 8, 0, 5)  # where the next digest starts
    assert store.unsubscribe(1) is True and store.unsubscribe(1) is False and store.all() == []
