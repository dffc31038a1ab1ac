"""The one DMN evaluator: business-rule tasks in processes, `zhifa decide` and the decision endpoint.

Tables are parsed by SpiffWorkflow's DMN parser (`RulesParser`, which `engine.specs` uses too) and
run by `DecisionEngine` in the tables' script environment (`engine.rules.table_environment`), so a table
behaves the same inside a process and outside one. Hit policies: UNIQUE (exactly one row must
match), FIRST (the first matching row in table order; SpiffWorkflow 3.2 has no FIRST) and COLLECT
(lists, or the DMN aggregations SUM / COUNT / MIN / MAX). A UNIQUE or FIRST table that no row
matches, or a UNIQUE table that several rows match, is a model error (SpiffWorkflow would silently
return nothing or the first row); any other hit policy is refused when the file is loaded.
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

from engine.errors import ModelError, ValidationFailed
from engine.rules import table_environment
from engine.rules.contracts import contract_for, validate_inputs
from engine.rules.profiles import ProfileVersion, load_profile, today
from engine.settings import get_settings

HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")
AGGREGATIONS = {
    "SUM": lambda values: sum(values) if values else None,
    "COUNT": len,
    "MIN": lambda values: min(values) if values else None,
    "MAX": lambda values: max(values) if values else None,
}


def table_problem(table_node) -> str | None:
    """Why a `decisionTable` element cannot be evaluated faithfully, in Chinese; None if it can."""
    policy = table_node.get("hitPolicy", "UNIQUE").upper()
    if policy not in HIT_POLICIES:
        return (f"命中策略 {policy} 不受支持（SpiffWorkflow 3.2 未实现，会静默地返回第一条命中规则）；"
                f"请使用 {' / '.join(HIT_POLICIES)}")
    aggregation = table_node.get("aggregation")
    if aggregation is not None and (policy != "COLLECT" or aggregation not in AGGREGATIONS):
        return f"聚合方式 {aggregation} 不受支持（仅 COLLECT 表可用 {' / '.join(AGGREGATIONS)}）"
    return None


def _row_label(rule) -> str:
    return f"第 {rule.row_number} 行" + (f"（{rule.description}）" if rule.description else "")


class DecisionEngine(DMNEngine):
    """SpiffWorkflow's DMN engine with zhifa's hit-policy semantics (see the module docstring)."""

    def __init__(self, decision_table, *, aggregation: str | None, file: str):
        super().__init__(decision_table)
        self.aggregation = aggregation
        self.file = file
        self._every_match = copy.copy(decision_table)
        self._every_match.hit_policy = "COLLECT"  # match all rows; the policy is applied in result()

    @property
    def output_names(self) -> list[str]:
        return [output.name or output.label for output in self.decision_table.outputs]

    def result(self, task) -> dict[str, Any]:
        matched = DMNEngine(self._every_match).decide(task)
        policy = self.decision_table.hit_policy
        if policy == "COLLECT":
            collected = {name: [] for name in self.output_names}
            for rule in matched:
                for name, value in rule.output_as_dict(task).items():
                    collected[name].append(value)
            if self.aggregation:
                return {name: AGGREGATIONS[self.aggregation](values) for name, values in collected.items()}
            return collected
        if not matched:
            raise ModelError(f"决策表 {self.file} 没有规则与输入相符（表中缺少兜底规则）",
                             details={"file": self.file})
        if policy == "UNIQUE" and len(matched) > 1:
            rows = "、".join(_row_label(rule) for rule in matched)
            raise ModelError(f"决策表 {self.file} 命中策略为 UNIQUE，但有多条规则相符：{rows}",
                             details={"file": self.file, "rows": [rule.row_number for rule in matched]})
        return dict(matched[0].output_as_dict(task))


class RulesParser(SpiffBpmnParser):
    """SpiffWorkflow's parser whose business-rule tasks and tables run on `DecisionEngine`."""

    def add_dmn_xml(self, node, filename=None):
        super().add_dmn_xml(node, filename)
        for table in node.iter("{*}decisionTable"):
            problem = table_problem(table)
            if problem:
                raise ValidationException(problem, node=table, file_name=filename)

    def get_engine(self, decision_ref, node):
        table = super().get_engine(decision_ref, node).decision_table
        dmn_parser = self.dmn_parsers[decision_ref]
        aggregation = dmn_parser.node.find(".//{*}decisionTable").get("aggregation")
        return DecisionEngine(table, aggregation=aggregation, file=Path(dmn_parser.filename or "").name)


@dataclass(frozen=True)
class LoadedTable:
    table_id: str
    path: Path
    engine: DecisionEngine

    @property
    def hit_policy(self) -> str:
        return self.engine.decision_table.hit_policy

    @property
    def inputs(self) -> list:
        """The table's input columns (SpiffWorkflow `Input`: label, expression, typeRef)."""
        return self.engine.decision_table.inputs


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
    parser = RulesParser(validator=BpmnValidator())
    try:
        parser.add_dmn_file(str(path))
        if table_id not in parser.dmn_parsers:
            raise ModelError(f"决策表文件 {path.name} 中没有 id 为 {table_id} 的决策",
                             details={"file": str(path), "decision": table_id})
        engine = parser.get_engine(table_id, None)
    except ValidationException as exc:
        raise ModelError(f"决策表文件 {path.name} 无效：{exc}", details={"file": str(path)}) from exc
    return LoadedTable(table_id, path, engine)


def _task_for(table: LoadedTable, data: dict) -> SimpleNamespace:
    """The minimal task a DMN engine needs: data, the process script engine and names for its error messages."""
    workflow = SimpleNamespace(script_engine=table_environment.script_engine(), spec=SimpleNamespace(file=str(table.path)))
    workflow.top_workflow = workflow
    return SimpleNamespace(data=data, workflow=workflow, task_spec=SimpleNamespace(bpmn_name=table.table_id))


def decide(table: LoadedTable, data: dict[str, Any]) -> dict[str, Any]:
    """Run `table` on complete data (case inputs plus profile values) and return its outputs."""
    try:
        return table.engine.result(_task_for(table, data))
    except SpiffWorkflowException as exc:
        raise ModelError(f"决策表 {table.path.name} 计算出错：{exc}", details={"file": str(table.path)}) from exc


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
    contract_for(table_id)  # an unknown table is refused before any file is looked for
    checked = validate_inputs(table_id, inputs, load_table(table_id).inputs)
    return checked, load_profile(profile).version_on(on or today())


def evaluate(table_id: str, inputs: dict, *, profile: str | None = None, on: date | None = None) -> dict:
    """Validate `inputs` against the table's contract, add the profile values in force on `on`
    (default: today) and return the table's outputs."""
    checked, version = prepare(table_id, inputs, profile=profile, on=on)
    return decide(load_table(table_id), {**version.table_inputs(), **checked})
