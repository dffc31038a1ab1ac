"""Timer event definitions that read `engine.clock` instead of the wall clock.

The parser builds SpiffWorkflow's own timer definitions; `use_engine_clock`
swaps each one's class for the subclass below after parsing. Only `now` differs, and a date
timer computed from provisional holiday data remembers so (`PROVISIONAL_MARK`).
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

from engine import calendar, clock

PROVISIONAL_MARK = "event_provisional"  # internal data of a date timer computed from provisional holiday data


class EngineTimeDate(TimeDateEventDefinition):
    def has_fired(self, my_task):
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            with calendar.holiday_basis() as basis:
                event_value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            my_task._set_internal_data(event_value=event_value)
            if basis.provisional:
                my_task._set_internal_data(**{PROVISIONAL_MARK: basis.label})
        if TimerEventDefinition.get_datetime(event_value) <= clock.now():
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


class EngineDuration(DurationTimerEventDefinition):
    def has_fired(self, my_task):
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            parsed = TimerEventDefinition.parse_iso_duration(expression)
            start = clock.now()
            event_value = (start + TimerEventDefinition.get_timedelta_from_start(parsed, start)).isoformat()
            my_task._set_internal_data(event_value=event_value)
        if TimerEventDefinition.get_datetime(event_value) <= clock.now():
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


_REPLACEMENTS = {TimeDateEventDefinition: EngineTimeDate, DurationTimerEventDefinition: EngineDuration}


def _swap(definition) -> None:
    if isinstance(definition, MultipleEventDefinition):
        for inner in definition.event_definitions:
            _swap(inner)
    elif type(definition) in _REPLACEMENTS:
        definition.__class__ = _REPLACEMENTS[type(definition)]


def use_engine_clock(*specs) -> None:
    """Make every timer in these process specs read the engine clock."""
    for spec in specs:
        for task_spec in spec.task_specs.values():
            definition = getattr(task_spec, "event_definition", None)
            if definition is not None:
                _swap(definition)
