"""The script environment of decision tables: `engine.scripting`'s restricted environment plus the
helpers that read the rules (profile values, statutory fine ranges). Processes run on
`engine.rules.environment`, which adds the helpers that evaluate a table themselves.

The helpers live here, not in `engine.scripting`, so that the rules package depends on the
scripting environment and never the other way round.
"""

from __future__ import annotations

import re
from datetime import date

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from engine import scripting
from engine.errors import ValidationFailed
from engine.rules.profiles import profile_inputs
from engine.rules.violations import get_violation

PROFILE_NAME = re.compile(r"[a-z0-9_-]{1,40}")


def statutory_range(violation_code: str) -> list[int]:
    """The statutory fine range [min, max] of a violation in the catalogue (data/violations.csv)."""
    violation = get_violation(violation_code)
    return [violation.fine_min_yuan, violation.fine_max_yuan]


def profile_values(on: str | date, profile: str | None = None) -> dict:
    """The rules-profile values in force on `on` (a case's filing date), as the decision tables take them.

    Only a profile's name: case data must never point the loader at a file.
    """
    if profile is not None and not PROFILE_NAME.fullmatch(str(profile)):
        raise ValidationFailed(f"规则配置名称无效: {profile}", details={"profile": str(profile)})
    return profile_inputs(profile, scripting.as_date(on))


HELPERS = {**scripting.HELPERS, "profile_values": profile_values, "statutory_range": statutory_range}


def script_engine() -> PythonScriptEngine:
    return scripting.script_engine(HELPERS)
