"""Evaluate a decision table (`<bpmn_dir>/<table_id>.dmn`) outside a process, as a business-rule task would.

The table is parsed by SpiffWorkflow's DMN parser and run by its DMN engine with the engine's
restricted script environment, so a table behaves here exactly as it does inside a BPMN process.
Hit policies: UNIQUE (exactly one row must match), FIRST (ordered first match; SpiffWorkflow 3.2
has no FIRST, so rows are matched here and the first is taken) and COLLECT (lists, or the DMN
aggregations SUM / COUNT / MIN / MAX); any other policy is refused as a model error.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine import scripting
from engine.errors import ModelError, ValidationFailed
from engine.rules.contracts import validate_inputs
from engine.rules.profiles import ProfileVersion, load_profile
from engine.settings import get_settings

HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")
AGGREGATIONS = {
    "SUM": lambda values: sum(values) if values else None,
    "COUNT": len,
    "MIN": lambda values: min(values) if values else None,
    "MAX": lambda values: max(values) if values else None,
}


@dataclass(frozen=True)
class LoadedTable:
    table_id: str
    path: Path
    engine: DMNEngine
    aggregation: str | None

    @property
    def hit_policy(self) -> str:
        return self.engine.decision_table.hit_policy

    @property
    def output_names(self) -> list[str]:
        return [output.name or output.label for output in self.engine.decision_table.outputs]


def table_path(table_id: str) -> Path:
    return get_settings().bpmn_dir / f"{table_id}.dmn"


def load_table(table_id: str) -> LoadedTable:
    path = table_path(table_id)
    if not path.is_file():
        raise ModelError(f"决策表文件 {path.name} 不存在", details={"table": table_id, "file": str(path)})
    return load_table_file(path, table_id)


def load_table_file(path: Path, table_id: str) -> LoadedTable:
    return _parse(path.resolve(), table_id, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _parse(path: Path, table_id: str, _mtime: int) -> LoadedTable:
    parser = SpiffBpmnParser(validator=BpmnValidator())
    try:
        parser.add_dmn_file(str(path))
        if table_id not in parser.dmn_parsers:
            raise ModelError(f"决策表文件 {path.name} 中没有 id 为 {table_id} 的决策",
                             details={"file": str(path), "decision": table_id})
        engine = parser.get_engine(table_id, None)
    except ValidationException as exc:
        raise ModelError(f"决策表文件 {path.name} 无效：{exc}", details={"file": str(path)}) from exc
    policy = engine.decision_table.hit_policy
    if policy not in HIT_POLICIES:
        raise ModelError(
            f"决策表 {path.name} 的命中策略 {policy} 不受支持（SpiffWorkflow 3.2 会静默地返回第一条命中规则）；"
            f"请使用 {' / '.join(HIT_POLICIES)}",
            details={"file": str(path), "hit_policy": policy},
        )
    table_node = parser.dmn_parsers[table_id].node.find(".//{*}decisionTable")
    aggregation = table_node.get("aggregation")
    if aggregation is not None and (policy != "COLLECT" or aggregation not in AGGREGATIONS):
        raise ModelError(f"决策表 {path.name} 的聚合方式 {aggregation} 不受支持（仅 COLLECT 表可用 "
                         f"{' / '.join(AGGREGATIONS)}）", details={"file": str(path)})
    return LoadedTable(table_id, path, engine, aggregation)


def _task_for(table: LoadedTable, data: dict) -> SimpleNamespace:
    """The minimal task a DMN engine needs: data, a script engine and names for its error messages."""
    workflow = SimpleNamespace(script_engine=scripting.script_engine(), spec=SimpleNamespace(file=str(table.path)))
    workflow.top_workflow = workflow
    return SimpleNamespace(data=data, workflow=workflow, task_spec=SimpleNamespace(bpmn_name=table.table_id))


def _row_label(rule) -> str:
    return f"第 {rule.row_number} 行" + (f"（{rule.description}）" if rule.description else "")


def decide(table: LoadedTable, data: dict[str, Any]) -> dict[str, Any]:
    """Run `table` on complete data (case inputs plus profile values) and return its outputs."""
    task = _task_for(table, data)
    every_match = copy.copy(table.engine.decision_table)
    every_match.hit_policy = "COLLECT"  # match all rows; the policy is applied below
    try:
        matched = DMNEngine(every_match).decide(task)
        if table.hit_policy == "COLLECT":
            collected = {name: [] for name in table.output_names}
            for rule in matched:
                for name, value in rule.output_as_dict(task).items():
                    collected[name].append(value)
            if table.aggregation:
                return {name: AGGREGATIONS[table.aggregation](values) for name, values in collected.items()}
            return collected
        if not matched:
            raise ModelError(f"决策表 {table.path.name} 没有规则与输入相符（表中缺少兜底规则）",
                             details={"file": str(table.path)})
        if table.hit_policy == "UNIQUE" and len(matched) > 1:
            rows = "、".join(_row_label(rule) for rule in matched)
            raise ModelError(f"决策表 {table.path.name} 命中策略为 UNIQUE，但有多条规则相符：{rows}",
                             details={"file": str(table.path), "rows": [rule.row_number for rule in matched]})
        return dict(matched[0].output_as_dict(task))
    except SpiffWorkflowException as exc:
        raise ModelError(f"决策表 {table.path.name} 计算出错：{exc}", details={"file": str(table.path)}) from exc


def _today() -> date:
    return date.fromisoformat(scripting.today())


def prepare(table_id: str, inputs: Any, *, profile: str | None = None,
            on: date | None = None) -> tuple[dict[str, Any], ProfileVersion]:
    """Validated inputs (defaults filled in) and the profile version in force on `on` (default: today).

    `inputs` may name the profile as `"profile"`; it must then agree with the `profile` keyword.
    """
    if isinstance(inputs, dict) and "profile" in inputs:
        inputs = dict(inputs)
        named = inputs.pop("profile")
        if not isinstance(named, str):
            raise ValidationFailed(f"输入项 profile“规则配置”应为配置名（字符串），收到 {named!r}",
                                   details={"table": table_id, "input": "profile"})
        if profile is not None and named != profile:
            raise ValidationFailed(f"输入项 profile“规则配置”的值 {named!r} 与 --profile 指定的 {profile!r} 不一致",
                                   details={"table": table_id, "input": "profile"})
        profile = named
    checked = validate_inputs(table_id, inputs)
    return checked, load_profile(profile).version_on(on or _today())


def profile_inputs(profile: str | None = None, on: date | None = None) -> dict[str, Any]:
    """The profile values in force on `on` (a case's filing date), as the tables expect them in task data."""
    return load_profile(profile).version_on(on or _today()).table_inputs()


def evaluate(table_id: str, inputs: dict, *, profile: str | None = None, on: date | None = None) -> dict:
    """Validate `inputs` against the table's contract, add the profile values in force on `on`
    (default: today) and return the table's outputs."""
    checked, version = prepare(table_id, inputs, profile=profile, on=on)
    return decide(load_table(table_id), {**version.table_inputs(), **checked})
