"""Every script and expression in a model is checked against an allow-list when the model is loaded.

SpiffWorkflow evaluates BPMN scripts, conditions, timer expressions, zhifa's `dueExpression` and
`validation` properties and DMN expressions with Python's `eval`/`exec`. The run-time environment already
hides everything but task data, a few builtins and the engine's helpers (engine.scripting); this check
refuses a model whose text tries to reach further — an import, a dunder or private attribute, a builtin
the environment does not offer, a function or class definition, `format` tricks — so such a model never
loads, and the error names the file and the element.
"""

from __future__ import annotations

import ast
import builtins
import re

from lxml import etree

from engine.errors import ModelError
from engine.rules import environment

FORBIDDEN_NODES = (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.FunctionDef, ast.AsyncFunctionDef,
                   ast.ClassDef, ast.Lambda, ast.Await, ast.Yield, ast.YieldFrom, ast.With, ast.AsyncWith,
                   ast.AsyncFor)
FORBIDDEN_ATTRIBUTES = {"format", "format_map", "mro", "gi_frame", "f_globals", "f_locals", "func_globals"}
TIMER_TAGS = {"timeDate", "timeDuration", "timeCycle"}
EXPRESSION_PROPERTIES = {"dueExpression", "validation"}
COMPARISON_START = re.compile(r"^\s*(<=|>=|==|!=|<|>|not\s+in\s|in\s)")


def _offered_names() -> set[str]:
    offered = environment.script_engine().environment.globals
    return set(offered["__builtins__"]) | {name for name in offered if name != "__builtins__"}


def check_expression(text: str, *, mode: str) -> str | None:
    """None when `text` (mode "exec" for scripts, "eval" for expressions) keeps to the allow-list, else why not."""
    try:
        tree = ast.parse(text, mode=mode)
    except SyntaxError as exc:
        return f"语法错误: {exc.msg}"
    offered = _offered_names()
    for node in ast.walk(tree):
        if isinstance(node, FORBIDDEN_NODES):
            return f"不允许的语句: {type(node).__name__}"
        if isinstance(node, ast.Attribute) and (node.attr.startswith("_") or node.attr in FORBIDDEN_ATTRIBUTES):
            return f"不允许访问属性 {node.attr}"
        if isinstance(node, ast.Name):
            if node.id.startswith("__"):
                return f"不允许使用名称 {node.id}"
            if hasattr(builtins, node.id) and node.id not in offered and node.id not in ("True", "False", "None"):
                return f"不允许使用内置函数 {node.id}"
    return None


def _dmn_entry(text: str) -> str:
    """A DMN input entry as SpiffWorkflow evaluates it: `?` is the input, a leading operator compares it."""
    text = text.replace("?", "_input")
    return f"_input {text}" if COMPARISON_START.match(text) else text


def _owner_id(node) -> str:
    while node is not None:
        if node.get("id"):
            return node.get("id")
        node = node.getparent()
    return "(未知元素)"


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def model_expressions(name: str, text: str):
    """(element id, text, mode) for every script and expression in one .bpmn or .dmn file."""
    root = etree.fromstring(text.encode("utf-8"))
    for node in root.iter():
        tag = _local(node.tag)
        body = (node.text or "").strip()
        if name.endswith(".bpmn"):
            if tag in ("script", "preScript", "postScript") and body:
                yield _owner_id(node), body, "exec"
            elif (tag == "conditionExpression" or tag in TIMER_TAGS) and body:
                yield _owner_id(node), body, "eval"
            elif tag == "property" and (node.get("name") in EXPRESSION_PROPERTIES
                                        or (node.get("name") or "").startswith("validation")):
                yield _owner_id(node), node.get("value", "").partition(";;")[0].strip(), "eval"
            elif tag == "property" and (node.get("name") or "").startswith("compute") and "=" in node.get("value", ""):
                yield _owner_id(node), node.get("value", "").partition("=")[2].strip(), "eval"  # `name = expression`
        elif name.endswith(".dmn") and tag == "text" and body and body != "-":
            parent = _local(node.getparent().tag)
            if parent == "inputEntry":
                yield _owner_id(node), _dmn_entry(body), "eval"
            elif parent in ("inputExpression", "outputEntry"):
                yield _owner_id(node), body, "eval"


def check_model_file(name: str, text: str) -> None:
    """Raise ModelError naming the file and element of the first script or expression off the allow-list."""
    for element, expression, mode in model_expressions(name, text):
        problem = check_expression(expression, mode=mode)
        if problem:
            raise ModelError(f"流程模型错误: 文件 {name}, 元素 {element}: 表达式不被允许: {problem}",
                             details={"file": name, "element": element, "expression": expression[:200]})
