"""The script environment of processes: the decision tables' environment (`table_environment`: the
restricted scripting environment, profile values, statutory fine ranges) plus the helpers that
themselves evaluate a decision table (the law's penalty check, `penalty_law`).

Decision tables run on `table_environment`, so a table never calls a helper that evaluates a table.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from engine import scripting
from engine.rules.penalty_law import penalty_within_law
from engine.rules.table_environment import HELPERS as TABLE_HELPERS
from engine.rules.table_environment import profile_values, statutory_range

__all__ = ["HELPERS", "evaluate", "profile_values", "script_engine", "statutory_range"]

HELPERS = {**TABLE_HELPERS, "penalty_within_law": penalty_within_law}


def script_engine() -> PythonScriptEngine:
    return scripting.script_engine(HELPERS)


def evaluate(expression: str, data: dict):
    """Evaluate a model expression (a task's `dueExpression` or `validation`) against task data."""
    return scripting.evaluate(expression, data, HELPERS)
