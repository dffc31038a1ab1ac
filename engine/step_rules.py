"""A user task's rules from the model, applied when it completes: computed values, then validations.

`compute`, `compute2` … (`<name> = <expression>`) are values the engine works out from the case and the
form data (e.g. the late-payment surcharge owed on the payment date): they join the step's data before its
documents are issued and its `validation` rules are checked, so neither a form nor an officer types them.
A `validation` may name its own machine-readable code (`<expression> ;; <message> ;; <code>`, default
`rule_violated`); `{name}` in its message is replaced by that value of the data (amounts as the law prints them).
"""

from __future__ import annotations

import re
from decimal import Decimal

from engine.errors import InvalidState, ValidationFailed, ZhifaError
from engine.rules import environment
from engine.specs import TaskInfo

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def derive_and_check(info: TaskInfo, data: dict) -> dict:
    """The task's computed values (also written into `data`), after checking its validation rules on them."""
    computed = {}
    for name, expression in info.computed:
        try:
            computed[name] = data[name] = environment.evaluate(expression, data)
        except ValidationFailed:
            raise
        except Exception as exc:
            raise InvalidState(f"任务「{info.name}」的计算项 {name} 无法计算: {exc}", code="workflow_error",
                               details={"compute": name}) from exc
    for expression, message in info.validations:
        code = info.rule_codes.get(expression, "rule_violated")
        try:
            passed = environment.evaluate(expression, data)
        except ZhifaError:  # a rule helper's own refusal, with its own code (e.g. fine_out_of_range)
            raise
        except Exception as exc:
            raise ValidationFailed(f"{_fill(message, data)}(无法核对: {exc})", code=code,
                                   details={"rule": expression}) from exc
        if not passed:
            raise ValidationFailed(_fill(message, data), code=code,
                                   details={"rule": expression, **{k: _plain(v) for k, v in computed.items()}})
    return computed


def _fill(message: str, data: dict) -> str:
    return PLACEHOLDER.sub(lambda m: _shown(data.get(m.group(1))), message)


def _shown(value) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float, Decimal)):
        return f"{Decimal(str(value)).quantize(Decimal('0.01')):,}元"
    return str(value)


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value
