"""Decision rules: DMN tables in `bpmn/`, their input contracts, effective-dated profiles, the `decide` CLI.

Entry points: `engine.rules.dmn.evaluate(table_id, inputs, profile=..., on=...)`,
`engine.rules.dmn.profile_inputs(profile, on)` (profile values for task data before a business-rule task),
`engine.rules.discretion.decide_discretion(...)`, `engine.rules.profiles.load_profile(name)`.
"""
