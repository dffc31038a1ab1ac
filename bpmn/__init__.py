"""The procedure as data: BPMN process models, DMN decision tables and task forms (forms/*.json).

Legal staff edit the files in this folder; the engine reads them (`engine.specs`, `engine.rules.dmn`).
`ZHIFA_BPMN_DIR` points the engine at another folder of the same shape (a county's own models).
"""

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
