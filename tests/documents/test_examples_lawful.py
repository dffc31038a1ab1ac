"""The example cases the templates are tested with are lawful cases: the 当场处罚决定书 stays within APL Art. 51
(the simple_procedure table says so, for a person and for a unit) and the general procedure's fine lies in the
statutory tier of its violation (the same check the procedure applies)."""

import pytest

from engine.rules.dmn import evaluate
from engine.rules.penalty_law import penalty_within_law

from .examples import SIMPLE_VIOLATION_CODE, VIOLATION_CODE, complete_values


@pytest.mark.parametrize("party_type", ["person", "organization"])
def test_on_the_spot_example_is_within_article_51(party_type):
    fine = float(complete_values("simple_penalty_decision")["fine_amount"])
    inputs = {"party_type": party_type, "fine_amount": fine, "penalty_kinds": ["fine"], "facts_certain": True}
    assert evaluate("simple_procedure", inputs)["simple"] is True
    assert penalty_within_law(SIMPLE_VIOLATION_CODE, "unit", ["fine"], fine, 0, False, False, None, False)


def test_on_the_spot_example_is_a_case_of_its_own():
    simple, general = complete_values("simple_penalty_decision"), complete_values("penalty_decision")
    assert simple["fine_amount"] != general["fine_amount"] and "第九十九条第一项" in simple["penalty_basis"]


@pytest.mark.parametrize("doc_id", ["investigation_report", "penalty_notice", "penalty_decision"])
def test_general_procedure_example_fine_is_in_its_tier(doc_id):
    fine = float(complete_values(doc_id)["fine_amount"])
    assert penalty_within_law(VIOLATION_CODE, "principal", ["fine"], fine, 0, False, False, None, False)
