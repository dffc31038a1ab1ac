"""The tier list covers every catalogued violation whose article escalates after a failed correction order, fines
the directly responsible persons or distinguishes serious circumstances, and each row says what the article says."""

import re

from engine.rules.penalty_tiers import tier_list, tier_penalties
from engine.rules.violations import catalogue

TIERS = ("first_finding", "overdue", "serious")
ESCALATING = re.compile("逾期未改正|拒不改正|拒不执行|情节严重")
# the articles whose every catalogued violation must be tiered
TIERED_ARTICLES = (
    "《安全生产法》第九十三条第一款", "《安全生产法》第九十四条第一款", "《安全生产法》第九十七条", "《安全生产法》第九十八条",
    "《安全生产法》第九十九条", "《安全生产法》第一百零一条", "《安全生产法》第一百零二条", "《安全生产法》第一百零三条",
    "《安全生产法》第一百零四条", "《安全生产法》第一百零五条", "《安全生产法》第一百零八条", "《安全生产法》第一百零九条",
    "《危险化学品安全管理条例》第七十八条", "《危险化学品安全管理条例》第八十条",
)
# notes that use those words for something a tier (penalty kinds and fine ranges) cannot hold
NOT_TIERS = {
    "SPL-112-1": "按日连续处罚：按原处罚数额逐日计罚，不是另一档次的种类和幅度",
    **{f"SPL-113-1-0{i}": "情节严重只决定主要负责人不得担任主要负责人的年限（五年或者终身）；关闭由人民政府决定"
       for i in range(1, 5)},
}
DIGITS = "零一二三四五六七八九"


def _wan(yuan: int) -> tuple[str, str]:
    """An amount as the law writes it: 十万元 (SPL) or 10万元 (the regulations)."""
    assert yuan % 10000 == 0, yuan
    n = yuan // 10000
    if n < 10:
        words = DIGITS[n]
    elif n < 100:
        words = ("" if n < 20 else DIGITS[n // 10]) + "十" + (DIGITS[n % 10] if n % 10 else "")
    else:
        assert n % 100 == 0, yuan
        words = DIGITS[n // 100] + "百"
    return f"{words}万元", f"{n}万元"


def _phrases(low: int, high: int) -> set[str]:
    if low == 0:
        return {f"{h}以下" for h in _wan(high)}
    return {f"{lo}以上{hi}以下" for lo, hi in zip(_wan(low), _wan(high))}


def test_every_escalating_or_tiered_article_has_all_three_tiers():
    violations = catalogue()
    expected = {code for code, v in violations.items()
                if ESCALATING.search(v.notes_zh) or v.penalty_provision.startswith(TIERED_ARTICLES)} - set(NOT_TIERS)
    assert {"SPL-098-1-01", "SPL-102-1", "SPL-103-1", "SPL-104-1", "SPL-105-1-02", "WHP-078-1-08"} <= expected
    listed = {code for code, _ in tier_list()}
    assert expected - listed == set()
    for code in listed:
        assert all((code, tier) in tier_list() for tier in TIERS), code


def test_each_row_cites_the_article_of_its_violation():
    violations = catalogue()
    for (code, _), penalties in tier_list().items():
        for p in penalties:
            cited, _, words = p.basis_zh.partition("：")
            assert re.fullmatch("《[^》]+》第[^条]+条(第[^款]+款)?", cited) and words, p
            assert violations[code].penalty_provision.startswith(cited), (p, violations[code].penalty_provision)


def test_each_range_is_the_catalogue_range_or_one_its_article_states():
    violations = catalogue()
    for (code, _), penalties in tier_list().items():
        violation = violations[code]
        for p in penalties:
            assert (p.fine_min is None) == (p.fine_max is None) and (p.kind == "fine" or p.fine_min is None), p
            if p.fine_min is None:
                continue
            assert 0 <= p.fine_min < p.fine_max, p
            phrases = _phrases(p.fine_min, p.fine_max)
            assert any(phrase in p.basis_zh for phrase in phrases), p
            catalogue_range = (p.fine_min, p.fine_max) == (violation.fine_min_yuan, violation.fine_max_yuan)
            assert catalogue_range or any(phrase in violation.notes_zh for phrase in phrases), p
            if p.target == violation.penalised_party and violation.fine_min_yuan is not None:
                assert p.fine_min >= violation.fine_min_yuan, p  # a later tier never goes below the statutory minimum


def test_the_catalogue_range_is_the_first_tier_that_fines_the_penalised_party():
    violations = catalogue()
    for code in {code for code, _ in tier_list()}:
        violation = violations[code]
        fined = [[(p.fine_min, p.fine_max) for p in tier_penalties(code, tier)
                  if p.kind == "fine" and p.target == violation.penalised_party and p.fine_min is not None]
                 for tier in TIERS]
        first = next((ranges for ranges in fined if ranges), [])
        expected = [] if violation.fine_min_yuan is None else [(violation.fine_min_yuan, violation.fine_max_yuan)]
        assert first == expected, code


def test_correction_first_articles_provide_no_penalty_on_first_finding():
    for code in ("SPL-093-1", "SPL-108-1"):
        assert [(p.kind, p.mandatory) for p in tier_penalties(code, "first_finding")] == [("order_correction", False)]
    overdue = {(p.target, p.kind): (p.mandatory, p.fine_min, p.fine_max) for p in tier_penalties("SPL-108-1", "overdue")}
    assert overdue == {("unit", "fine"): (True, 20000, 200000), ("responsible_persons", "fine"): (True, 10000, 20000)}


def test_spl_98_fines_unit_and_persons_from_the_start_and_more_when_overdue():
    def tier(name):
        return {(p.target, p.kind): (p.mandatory, p.fine_min, p.fine_max) for p in tier_penalties("SPL-098-1-02", name)}
    assert tier("first_finding") == {("unit", "suspend_production"): (False, None, None),
                                     ("unit", "fine"): (True, 100000, 500000),
                                     ("responsible_persons", "fine"): (True, 20000, 50000)}
    assert tier("overdue")[("unit", "fine")] == (True, 500000, 1000000)
    assert tier("overdue")[("responsible_persons", "fine")] == (True, 50000, 100000)
