"""Decision rules: DMN tables in `bpmn/`, their input contracts, effective-dated profiles.

Entry points: `engine.rules.table_decision.decide_table(table_id, inputs, profile=..., on=...)` (a table outside
a case: the CLI and the API), `engine.rules.dmn.RulesParser` (the parser whose business-rule tasks run on
the same evaluator), `engine.rules.profiles.profile_inputs(profile, on)` (profile values for task data),
`engine.rules.environment` (the process script environment, with the helpers that read the rules).
"""
