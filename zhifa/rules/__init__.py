"""Decision rules: DMN tables in `bpmn/`, their input contracts, effective-dated profiles, the `decide` CLI.

Entry points: `zhifa.rules.dmn.evaluate(table_id, inputs, profile=..., on=...)`,
`zhifa.rules.dmn.profile_inputs(profile, on)` (profile values for task data before a business-rule task),
`zhifa.rules.discretion.decide_discretion(...)`, `zhifa.rules.profiles.load_profile(name)`.
"""
