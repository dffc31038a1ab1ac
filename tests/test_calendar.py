"""Statutory calendar. Expected 2026 dates are worked out by hand from the State Council notice
国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): Spring Festival 02-15..02-23 with
02-14 (Sat) and 02-28 (Sat) worked; Labour Day 05-01..05-05 with 05-09 (Sat) worked;
Mid-Autumn 09-25..09-27; National Day 10-01..10-07 with 09-20 (Sun) and 10-10 (Sat) worked;
New Year 01-01..01-03 with 01-04 (Sun) worked."""

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from api.commands.deadlines import register
from engine.calendar import SHANGHAI, add_hours, add_months, day_end, deadline, holiday_basis, is_working_day
from engine.errors import CalendarUnknownYear, ModelError, ValidationFailed
from engine.settings import get_settings

FIXTURE_HOLIDAYS = Path(__file__).parent / "fixtures" / "holidays"


@pytest.fixture
def holidays_dir(monkeypatch):
    """Point ZHIFA_HOLIDAYS_DIR at a directory, as an operator would."""

    def use(directory: Path) -> None:
        monkeypatch.setenv("ZHIFA_HOLIDAYS_DIR", str(directory))
        get_settings.cache_clear()

    yield use
    monkeypatch.delenv("ZHIFA_HOLIDAYS_DIR", raising=False)
    get_settings.cache_clear()


def write_year(directory: Path, year: int, body: str) -> None:
    (directory / f"{year}.yaml").write_text(body, encoding="utf-8")


# --- working days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 14), True),  # Saturday, make-up working day
        (date(2026, 2, 16), False),  # Monday in the Spring Festival
        (date(2026, 2, 24), True),
        (date(2026, 3, 7), False),  # ordinary Saturday
        (date(2026, 3, 9), True),
        (date(2026, 9, 20), True),  # Sunday, make-up working day
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # Saturday, make-up working day
        (date(2026, 10, 11), False),
    ],
)
def test_is_working_day_follows_the_2026_notice(day, working):
    assert is_working_day(day) is working


def test_five_working_days_from_friday_before_spring_festival():
    # 02-14 Sat (worked) = 1, 02-15..02-23 off, 02-24 = 2, 02-25 = 3, 02-26 = 4, 02-27 = 5
    assert deadline(date(2026, 2, 13), 5, working=True) == date(2026, 2, 27)


def test_five_working_days_across_national_day():
    # 09-30 = 1, 10-01..10-07 off, 10-08 = 2, 10-09 = 3, 10-10 Sat (worked) = 4, 10-12 Mon = 5
    assert deadline(date(2026, 9, 29), 5, working=True) == date(2026, 10, 12)


def test_ten_working_days_across_mid_autumn_and_national_day():
    # from Fri 09-18: 09-20 Sun (worked), 21, 22, 23, 24, [25-27 off], 28, 29, 30, [10-01..07 off], 10-08, 10-09
    assert deadline(date(2026, 9, 18), 10, working=True) == date(2026, 10, 9)


def test_hearing_request_window_from_friday_before_labour_day():
    # 05-01..05-05 off, 05-06 = 1, 07 = 2, 08 = 3, 05-09 Sat (worked) = 4, 05-10 Sun off, 05-11 = 5
    assert deadline(date(2026, 4, 30), 5, working=True) == date(2026, 5, 11)


# --- calendar-day periods -------------------------------------------------------------------


def test_fifteen_days_ending_in_national_day_roll_to_next_working_day():
    # 09-21 + 15 = 10-06 (holiday) -> 10-08
    assert deadline(date(2026, 9, 21), 15) == date(2026, 10, 8)


def test_fifteen_days_ending_in_spring_festival_roll_to_next_working_day():
    # 02-05 + 15 = 02-20 (holiday) -> 02-24
    assert deadline(date(2026, 2, 5), 15) == date(2026, 2, 24)


def test_period_ending_on_ordinary_saturday_rolls_to_monday():
    assert deadline(date(2026, 3, 6), 15) == date(2026, 3, 23)


def test_period_ending_on_working_day_is_not_moved():
    assert deadline(date(2026, 3, 2), 15) == date(2026, 3, 17)


def test_period_ending_on_make_up_saturday_stays():
    # 02-13 + 15 = 02-28, a Saturday worked in 2026
    assert deadline(date(2026, 2, 13), 15) == date(2026, 2, 28)


def test_new_year_roll_over_lands_on_make_up_sunday():
    # 2026-01-01..03 off; 01-04 is a Sunday worked
    assert deadline(date(2025, 12, 31), 1) == date(2026, 1, 4)


def test_ninety_day_decision_limit_ending_on_national_day():
    # 07-03 + 90 = 10-01 -> 10-08
    assert deadline(date(2026, 7, 3), 90) == date(2026, 10, 8)


def test_zero_days_turns_an_end_date_into_a_legal_period_end():
    assert deadline(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert deadline(date(2026, 10, 9), 0) == date(2026, 10, 9)


def test_negative_days_are_refused():
    with pytest.raises(ValidationFailed, match="不能为负数"):
        deadline(date(2026, 3, 2), -1)


# --- clock and months -----------------------------------------------------------------------


def test_day_end_is_midnight_after_the_day_in_shanghai():
    end = day_end(date(2026, 2, 13))
    assert end.isoformat() == "2026-02-14T00:00:00+08:00"
    assert end == datetime(2026, 2, 13, 16, 0, tzinfo=timezone.utc)
    assert end.tzinfo == SHANGHAI


def test_add_hours_counts_clock_hours_through_holidays():
    start = datetime(2026, 9, 30, 16, 30, tzinfo=SHANGHAI)
    assert add_hours(start, 24).isoformat() == "2026-10-01T16:30:00+08:00"


def test_add_hours_keeps_the_time_zone_of_the_start():
    start = datetime(2026, 9, 30, 8, 30, tzinfo=timezone.utc)
    assert add_hours(start, 24).isoformat() == "2026-10-01T08:30:00+00:00"


def test_add_hours_refuses_a_naive_start():
    with pytest.raises(ValidationFailed, match="时区"):
        add_hours(datetime(2026, 9, 30, 8, 30), 24)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 10, 8), 6, date(2027, 4, 8)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


# --- years without an official notice: provisional answers -------------------------------


def test_year_without_notice_is_answered_provisionally_from_the_statutory_holidays():
    # 2027 by the statutory rules: 春节 除夕 02-05..02-08, its Saturday and Sunday made up on 02-09 and 02-10
    with holiday_basis() as basis:
        assert is_working_day(date(2027, 2, 9)) is False
        assert is_working_day(date(2027, 2, 11)) is True
        assert is_working_day(date(2027, 2, 13)) is False  # an ordinary Saturday: 调休 unknown
    assert basis.provisional is True
    assert "《全国年节及纪念日放假办法》(2024年修订)推算" in basis.label and "调休安排以国务院办公厅通知为准" in basis.label


def test_official_answer_is_not_provisional():
    with holiday_basis() as basis:
        assert deadline(date(2026, 9, 21), 15) == date(2026, 10, 8)
    assert basis.provisional is False
    assert basis.label.startswith("chinesecalendar ")


def test_data_file_year_without_env_dir_is_provisional():
    with holiday_basis() as basis:
        # 2099-01-01 Thursday is 元旦; 01-02 Friday is an ordinary working day without the (made-up) file
        assert deadline(date(2099, 1, 1), 2, working=True) == date(2099, 1, 5)
    assert basis.provisional is True


def test_a_year_the_statutory_source_cannot_compute_raises_naming_the_year():
    with pytest.raises(CalendarUnknownYear, match="2101年") as caught:
        is_working_day(date(2101, 3, 2))
    assert caught.value.code == "calendar_unknown_year"


def test_data_file_year_works(holidays_dir):
    holidays_dir(FIXTURE_HOLIDAYS)
    assert is_working_day(date(2099, 1, 2)) is False  # Friday off
    assert is_working_day(date(2099, 1, 4)) is True  # Sunday worked
    assert is_working_day(date(2099, 1, 10)) is False  # ordinary Saturday
    assert is_working_day(date(2099, 1, 12)) is True  # ordinary Monday
    # 01-02 off, 01-03 Sat off, 01-04 Sun worked = 1, 01-05 Mon = 2
    assert deadline(date(2099, 1, 1), 2, working=True) == date(2099, 1, 5)
    # 03-22 + 15 = 04-06, a Monday off -> 04-07
    assert deadline(date(2099, 3, 22), 15) == date(2099, 4, 7)


def test_period_running_into_a_year_without_notice_is_answered_provisionally(holidays_dir):
    holidays_dir(FIXTURE_HOLIDAYS)
    with holiday_basis() as basis:
        # 12-20 + 15 = 2100-01-04, a Monday (2100-01-01 is the Friday off)
        assert deadline(date(2099, 12, 20), 15) == date(2100, 1, 4)
    assert basis.provisional is True


def test_last_december_days_are_provisional_until_the_next_years_notice(holidays_dir):
    holidays_dir(FIXTURE_HOLIDAYS)
    with holiday_basis() as before:
        assert is_working_day(date(2099, 12, 28)) is True
    assert before.provisional is False
    with holiday_basis() as after:
        assert is_working_day(date(2099, 12, 29)) is True  # a Tuesday, as far as the 2099 data knows
    assert after.provisional is True and "待2100年通知确认年底安排" in after.label


def test_working_days_from_a_covered_december_into_2027_are_provisional_not_refused():
    # 2026-12-28 Mon: 12-29, 12-30, 12-31 (provisional: a 2027 notice may move them), 2027-01-01 off, 01-04 Mon
    with holiday_basis() as basis:
        assert deadline(date(2026, 12, 28), 4, working=True) == date(2027, 1, 4)
    assert basis.provisional is True


def test_next_years_notice_decides_the_previous_december(tmp_path, holidays_dir):
    write_year(tmp_path, 2098, "year: 2098\nsource: 测试数据\nholidays: [2098-01-01]\n")
    write_year(
        tmp_path,
        2099,
        "year: 2099\nsource: 测试数据\n"
        "holidays: [{from: 2098-12-29, to: 2099-01-01}]\nworkdays: [2098-12-27]\n",
    )
    holidays_dir(tmp_path)
    assert is_working_day(date(2098, 12, 27)) is True  # Saturday worked
    assert is_working_day(date(2098, 12, 29)) is False  # Monday off
    assert is_working_day(date(2098, 1, 1)) is False
    assert is_working_day(date(2098, 1, 2)) is True
    # 12-26 Fri -> 12-27 Sat (worked) = 1, 12-29..01-01 off, 01-02 Fri = 2
    assert deadline(date(2098, 12, 26), 2, working=True) == date(2099, 1, 2)


def test_file_in_holidays_dir_replaces_the_package_for_its_year(tmp_path, holidays_dir):
    write_year(tmp_path, 2026, "year: 2026\nsource: 更正测试\nholidays: [2026-03-09]\n")
    holidays_dir(tmp_path)
    assert is_working_day(date(2026, 3, 9)) is False
    assert is_working_day(date(2026, 10, 1)) is True  # the file, not the package, describes 2026


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("year: 2098\nsource: x\nholidays: [2097-05-01]\n", "year 应为 2097"),
        ("year: 2097\nholidays: [2097-05-01]\n", "缺少 source"),
        ("year: 2097\nsource: x\nholidays: [2095-05-01]\n", "2095-05-01"),
        ("year: 2097\nsource: x\nholidays: [2097-05-01]\nworkdays: [2097-05-01]\n", "同时列为放假和上班"),
        ("year: 2097\nsource: x\nholidays: [{from: 2097-05-03, to: 2097-05-01}]\n", "起止颠倒"),
        ("year: 2097\nsource: x\nholidays: [May 1]\n", "'May 1'"),
        ("year: 2097\nsource: x\nholidays: 2097-05-01\n", "应为日期列表"),
    ],
)
def test_broken_data_file_names_the_file_and_the_problem(tmp_path, holidays_dir, body, reason):
    write_year(tmp_path, 2097, body)
    holidays_dir(tmp_path)
    with pytest.raises(ModelError) as caught:
        is_working_day(date(2097, 5, 1))
    assert str(tmp_path / "2097.yaml") in caught.value.message
    assert reason in caught.value.message


# --- CLI ------------------------------------------------------------------------------------


@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_deadline_in_working_days(cli):
    result = cli("deadline", "--from", "2026-02-13", "--days", "5", "--working")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert (answer["deadline"], answer["provisional"]) == ("2026-02-27", False)
    assert answer["source"].startswith("chinesecalendar ")


def test_cli_deadline_in_calendar_days(cli):
    result = cli("deadline", "--from", "2026-09-21", "--days", "15")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["deadline"] == "2026-10-08"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--days", "5"), "--from"),
        (("--from", "2026-02-30", "--days", "5"), "--from"),
        (("--from", "2026-02-13"), "--days"),
        (("--from", "2026-02-13", "--days", "-3"), "--days"),
        (("--from", "2026-02-13", "--days", "五"), "--days"),
    ],
)
def test_cli_deadline_rejects_bad_input_naming_it(cli, args, message):
    result = cli("deadline", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_cli_deadline_into_2027_is_provisional_and_names_its_source(cli):
    result = cli("deadline", "--from", "2026-12-05", "--days", "90")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["deadline"] == "2027-03-05" and answer["provisional"] is True
    assert "《全国年节及纪念日放假办法》" in answer["source"] and "调休安排未知" in answer["note"]
