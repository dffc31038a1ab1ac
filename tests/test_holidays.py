"""Holiday data: the provisional statutory source agrees with the official data where both exist; the State
Council notice is read into a year file (the 2025 and 2026 notices as published, checked against
chinesecalendar), or refused whole; `zhifa holidays status` and `import`."""

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
import typer
import yaml
from typer.testing import CliRunner

from api.commands.holidays import register
from engine import holiday_data
from engine.calendar import deadline, holiday_basis
from engine.holiday_notice import NoticeUnreadable, parse_notice
from engine.settings import get_settings

NOTICES = Path(__file__).parent / "fixtures" / "notices"

# The statutory days of 《全国年节及纪念日放假办法》(2024): 元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3.
STATUTORY_2026 = [date(2026, 1, 1), date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19),
                  date(2026, 4, 5), date(2026, 5, 1), date(2026, 5, 2), date(2026, 6, 19), date(2026, 9, 25),
                  date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)]


def notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.fixture
def holidays_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIFA_HOLIDAYS_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    monkeypatch.delenv("ZHIFA_HOLIDAYS_DIR")
    get_settings.cache_clear()
    holiday_data.clear_caches()


@pytest.mark.parametrize("day", STATUTORY_2026, ids=str)
def test_every_statutory_2026_holiday_is_a_rest_day_officially_and_provisionally(day):
    assert chinese_calendar.is_holiday(day)
    assert not holiday_data.statutory_working_day(day)


def test_provisional_source_follows_the_2024_amendment():
    days = [date(2027, 2, 4) + timedelta(days=n) for n in range(8)]
    rest = [d for d in days if not holiday_data.statutory_working_day(d)]
    # 除夕 2027-02-05 (Fri) starts 4 days; Saturday and Sunday inside them are made up on Tuesday and Wednesday
    assert rest == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8), date(2027, 2, 9),
                    date(2027, 2, 10)]
    assert not holiday_data.statutory_working_day(date(2025, 1, 28))  # 除夕 2025 (Tue) is a holiday since the amendment
    assert not holiday_data.statutory_working_day(date(2025, 5, 2))  # 劳动节 is 2 days since the amendment
    assert not holiday_data.statutory_working_day(date(2027, 4, 5))  # 清明 by the solar term


@pytest.mark.parametrize("year", [2025, 2026])
def test_published_notice_reads_into_the_days_chinesecalendar_knows(year):
    parsed = parse_notice(notice(year))
    assert parsed.year == year
    assert set(parsed.holidays) == {d for d in chinese_calendar.holidays if d.year == year}
    assert set(parsed.workdays) == {d for d in chinese_calendar.workdays if d.year == year}


def test_2026_notice_source_names_the_notice_its_number_and_date():
    parsed = parse_notice(notice(2026))
    assert parsed.source == "国务院办公厅关于2026年部分节假日安排的通知(国办发明电〔2025〕7号),2025-11-04"
    assert [f.name for f in parsed.festivals] == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    assert parsed.festivals[0].workdays == [date(2026, 1, 4)]


NOTICE_2019 = """国务院办公厅关于2019年部分节假日安排的通知
国办发明电〔2018〕15号
一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。
三、清明节：4月5日放假，与周末连休。
四、劳动节：5月1日放假。
五、端午节：6月7日放假，与周末连休。
六、中秋节：9月13日放假，与周末连休。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
"""


def test_notice_may_move_days_of_the_previous_december():
    parsed = parse_notice(NOTICE_2019)
    new_year = parsed.festivals[0]
    assert new_year.holidays == [date(2018, 12, 30), date(2018, 12, 31), date(2019, 1, 1)]
    assert new_year.workdays == [date(2018, 12, 29)]
    assert all(chinese_calendar.is_holiday(d) for d in new_year.holidays)
    assert chinese_calendar.is_workday(date(2018, 12, 29))


@pytest.mark.parametrize(("change", "message"), [
    (("1月4日（周日）上班", "1月4日（周一）上班"), "注明为周一,与日历不符"),
    (("共9天", "共8天"), "写明共8天"),
    (("五、端午节：6月19日（周五）至21日（周日）放假，共3天。", ""), "缺少 端午节"),
    (("4月4日（周六）至6日（周一）放假，共3天。", "4月4日（周六）至6日（周一）放假，共3天，另行通知。"), "无法识别的句子"),
    (("国务院办公厅关于2026年部分节假日安排的通知\n", ""), "未找到通知标题"),
])
def test_notice_that_cannot_be_read_completely_is_refused(change, message):
    with pytest.raises(NoticeUnreadable) as caught:
        parse_notice(notice(2026).replace(*change, 1))
    assert message in caught.value.message
    assert caught.value.code == "holiday_notice_unreadable"


@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    return lambda *args, **kwargs: runner.invoke(app, list(args), **kwargs)


def test_holidays_status_lists_each_year_official_or_provisional(cli, frozen_clock):
    result = cli("holidays", "status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith("2026  正式  chinesecalendar ") for line in lines)
    assert [line for line in lines if line.startswith("2027")] == [
        "2027  暂定  " + holiday_data.statutory_source().label]


def test_imported_notice_becomes_official_data_after_confirmation(cli, holidays_dir):
    (holidays_dir / "notice.txt").write_text(notice(2026), encoding="utf-8")
    declined = cli("holidays", "import", str(holidays_dir / "notice.txt"), input="n\n")
    assert declined.exit_code == 1 and "未写入" in declined.stdout
    assert not (holidays_dir / "2026.yaml").exists()

    shown = cli("holidays", "import", str(holidays_dir / "notice.txt"), input="y\n")
    assert shown.exit_code == 0, shown.output
    assert "春节: 放假 2026-02-15、2026-02-16" in shown.stdout and "调休上班 2026-02-14、2026-02-28" in shown.stdout
    assert "与 chinesecalendar 数据一致" in shown.stdout
    written = yaml.safe_load((holidays_dir / "2026.yaml").read_text(encoding="utf-8"))
    assert written["source"].startswith("国务院办公厅关于2026年部分节假日安排的通知")
    with holiday_basis() as basis:
        assert deadline(date(2026, 2, 13), 5, working=True) == date(2026, 2, 27)
    assert basis.label == written["source"]


def test_import_refuses_an_unreadable_notice_and_writes_nothing(cli, holidays_dir):
    (holidays_dir / "notice.txt").write_text(notice(2025).replace("共8天", "共7天"), encoding="utf-8")
    result = cli("holidays", "import", str(holidays_dir / "notice.txt"), "--yes")
    assert result.exit_code == 1
    assert "写明共7天" in result.stderr
    assert list(holidays_dir.glob("*.yaml")) == []
