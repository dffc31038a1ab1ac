"""The script environment of processes: the decision tables' environment (`table_environment`: the
restricted scripting environment, profile values, statutory fine ranges) plus the helpers that
themselves evaluate a decision table (the law's penalty check, `penalty_law`).

Decision tables run on `table_environment`, so a table never calls a helper that evaluates a table.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from engine import party_payments, party_rights, scripting
from engine.rules.dmn import decide, load_table
from engine.rules.penalty_law import penalty_within_law
from engine.rules.table_environment import HELPERS as TABLE_HELPERS
from engine.rules.table_environment import profile_values, statutory_range

__all__ = ["HELPERS", "evaluate", "profile_values", "script_engine", "statutory_range"]



def decision_of(table_id: str, inputs: dict) -> dict:
    """A decision table's outputs for `inputs` (the case's profile values among them), as its business-rule task
    would give them: a script asks the table about a party other than the case's, e.g. a responsible person."""
    return decide(load_table(table_id), inputs)


HELPERS = {**TABLE_HELPERS, **party_payments.HELPERS, **party_rights.HELPERS, "penalty_within_law": penalty_within_law,
           "decision_of": decision_of}


def script_engine() -> PythonScriptEngine:
    return scripting.script_engine(HELPERS)


def evaluate(expression: str, data: dict):
    """Evaluate a model expression (a task's `dueExpression` or `validation`) against task data."""
    return scripting.evaluate(expression, data, HELPERS)
