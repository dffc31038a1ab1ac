"""Every choice a form offers is shown to officers by a Chinese title: no form lists bare codes (`penalty`,
`organization`) that the web form, the case file so far and the record would otherwise print as they are."""

import json

from bpmn import MODELS_DIR


def _bare_enums(node, path=""):
    if isinstance(node, dict):
        if "enum" in node and any(isinstance(v, str) and v.isascii() and v for v in node["enum"]):
            yield path
        for choice in node.get("oneOf", []):
            if isinstance(choice, dict) and "const" in choice and not choice.get("title"):
                yield f"{path}/oneOf/{choice['const']}"
        for key, value in node.items():
            yield from _bare_enums(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _bare_enums(value, f"{path}/{index}")


def test_every_choice_in_every_form_has_a_chinese_title():
    bare = {path.name: list(_bare_enums(json.loads(path.read_text(encoding="utf-8"))))
            for path in sorted((MODELS_DIR / "forms").glob("*.json"))}
    assert {name: paths for name, paths in bare.items() if paths} == {}
