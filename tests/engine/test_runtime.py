"""The runtime on a small two-step model: start, inbox, validation, completion, timers, conflicts."""


import pytest
from sqlmodel import Session

from engine import record, serialization
from engine.errors import Conflict, ValidationFailed
from engine.models import Task, WorkflowState
from engine.vocab import CaseStatus, Role, TaskStatus
from tests.factories import actor


def start(runtime, agencies):
    return runtime.start_case("approval", agency_id=agencies.township.id, actor=actor(Role.township_officer, agencies.township),
                              data={"party": {"kind": "unit", "name": "遂川县某家具厂"}}, kind="case", party_name="遂川县某家具厂")


def test_start_puts_first_task_in_the_inbox_of_the_right_agency(runtime, agencies, frozen_clock):
    view = start(runtime, agencies)
    assert view.case.number == "（遂泉）应急立〔2026〕1号"
    assert view.case.status == CaseStatus.investigating
    [task] = view.tasks
    assert (task.name, task.role, task.agency_id) == ("起草", "township_officer", agencies.township.id)
    assert [t.id for t in runtime.ready_tasks(roles=["township_officer"], agency_ids=[agencies.township.id])] == [task.id]
    assert runtime.ready_tasks(roles=["township_officer"], agency_ids=[agencies.other_township.id]) == []
    second = start(runtime, agencies)
    assert second.case.number == "（遂泉）应急立〔2026〕2号"


def test_invalid_form_data_is_refused_naming_the_field_and_nothing_changes(runtime, agencies, frozen_clock):
    view = start(runtime, agencies)
    officer = actor(Role.county_officer, agencies.county)
    with pytest.raises(ValidationFailed) as err:
        runtime.complete_task(view.tasks[0].id, {"reply_by": "2026-13-01"}, officer)
    assert "缺少必填项「案情摘要」" in err.value.message
    assert "「审批期限」格式不正确" in err.value.message
    assert {d["field"] for d in err.value.details} == {"summary", "reply_by"}
    after = runtime.get_case(view.case.id)
    assert after.case.revision == view.case.revision
    assert [t.id for t in after.tasks] == [view.tasks[0].id]


def test_completing_moves_to_the_next_lane_with_due_date_and_records_the_step(runtime, agencies, frozen_clock):
    view = start(runtime, agencies)
    officer = actor(Role.county_officer, agencies.county)
    view = runtime.complete_task(view.tasks[0].id, {"summary": "未制定安全培训计划", "reply_by": "2026-03-07"}, officer)
    [task] = view.tasks
    assert (task.name, task.role, str(task.due_on)) == ("审批", "agency_head", "2026-03-09")  # Saturday rolls to Monday
    assert view.case.status == CaseStatus.deciding
    head = actor(Role.agency_head, agencies.county, user_id=2, name="李局长")
    view = runtime.complete_task(task.id, {"approved": True, "opinion": "同意"}, head)
    assert view.case.completed and view.case.outcome == "approved" and view.case.status == CaseStatus.closed
    with Session(runtime.engine) as session:
        events = record.events(session, view.case.id)
        assert [e.kind for e in events] == ["case_started", "task_completed", "task_completed"]
        assert events[2].inputs == {"approved": True, "opinion": "同意"}
        assert (events[2].actor_name, events[2].role, events[2].task_name) == ("李局长", "agency_head", "审批")
        assert record.verify(session) == []


def test_state_round_trips_after_every_step_and_holds_no_spec(runtime, agencies, frozen_clock):
    view = start(runtime, agencies)
    officer = actor(Role.county_officer, agencies.county)
    steps = [({"summary": "摘要", "reply_by": "2026-03-10"}, officer), ({"approved": True}, actor(Role.agency_head, agencies.county))]
    for data, who in steps:
        with Session(runtime.engine) as session:
            state = session.get(WorkflowState, view.case.id).state
        process = runtime.specs.latest("approval")
        restored = serialization.load(state, process.spec, process.subprocess_specs, None)
        assert serialization.dump(restored) == state
        assert '"spec"' not in state and "bpmn:definitions" not in state
        view = runtime.complete_task(view.tasks[0].id, data, who)
    assert view.case.completed


def test_timer_fires_when_due_and_cancels_the_open_task(runtime, agencies, frozen_clock):
    view = start(runtime, agencies)
    view = runtime.complete_task(view.tasks[0].id, {"summary": "摘要", "reply_by": "2026-03-04"},
                                 actor(Role.county_officer, agencies.county))
    approve_id = view.tasks[0].id
    assert runtime.fire_due() == []
    frozen_clock.advance(days=2, hours=14, minutes=59)  # 2026-03-04 23:59 Shanghai
    assert runtime.fire_due() == []
    frozen_clock.advance(minutes=1)
    assert runtime.fire_due() == [view.case.id]
    after = runtime.get_case(view.case.id)
    assert after.case.outcome == "timed_out" and after.case.status == CaseStatus.suspended and after.case.next_due is None
    with Session(runtime.engine) as session:
        assert session.get(Task, approve_id).status == TaskStatus.cancelled
        assert record.events(session, view.case.id)[-1].kind == "timer_fired"


def test_a_completed_task_cannot_be_completed_again(runtime, agencies, frozen_clock):
    view = start(runtime, agencies)
    officer = actor(Role.county_officer, agencies.county)
    data = {"summary": "摘要", "reply_by": "2026-03-10"}
    runtime.complete_task(view.tasks[0].id, data, officer)
    with pytest.raises(Conflict) as err:
        runtime.complete_task(view.tasks[0].id, data, officer)
    assert err.value.code == "task_conflict"
    with Session(runtime.engine) as session:
        assert record.event_count(session, view.case.id) == 2


def test_a_running_case_keeps_its_version_when_the_model_changes(runtime, agencies, frozen_clock, tmp_path, db_url):
    import shutil

    from api.bootstrap import build_runtime
    from tests.conftest import ENGINE_MODELS

    view = start(runtime, agencies)
    changed = tmp_path / "models"
    shutil.copytree(ENGINE_MODELS, changed)
    bpmn = changed / "approval.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace('name="起草"', 'name="起草调查报告"'), encoding="utf-8")
    new_runtime = build_runtime(bpmn_dir=changed, engine=runtime.engine)
    assert new_runtime.specs.latest("approval").version_id != view.case.version_id
    officer = actor(Role.county_officer, agencies.county)
    old = new_runtime.complete_task(view.tasks[0].id, {"summary": "摘要", "reply_by": "2026-03-10"}, officer)
    assert old.case.version_id == view.case.version_id
    fresh = start(new_runtime, agencies)
    assert fresh.tasks[0].name == "起草调查报告" and fresh.case.version_id != view.case.version_id


def test_a_rule_declared_on_the_task_blocks_completion_with_its_message(runtime, agencies, frozen_clock):
    view = start(runtime, agencies)
    view = runtime.complete_task(view.tasks[0].id, {"summary": "摘要", "reply_by": "2026-03-10"},
                                 actor(Role.county_officer, agencies.county))
    head = actor(Role.agency_head, agencies.county)
    with pytest.raises(ValidationFailed) as err:
        runtime.complete_task(view.tasks[0].id, {"approved": False}, head)
    assert (err.value.code, err.value.message) == ("rule_violated", "不同意时必须填写审批意见")
    done = runtime.complete_task(view.tasks[0].id, {"approved": False, "opinion": "证据不足"}, head)
    assert done.case.completed


def test_state_keeps_chinese_text_as_is_and_states_written_escaped_still_restore(runtime, agencies, frozen_clock):
    """The stored state is compact UTF-8 (a Chinese character takes 3 bytes, not a 6-byte \\uXXXX escape); states
    stored before, escaped, restore to the same workflow."""
    import json

    view = start(runtime, agencies)
    view = runtime.complete_task(view.tasks[0].id, {"summary": "仓库消防通道堵塞", "reply_by": "2026-03-10"},
                                 actor(Role.county_officer, agencies.county))
    with Session(runtime.engine) as session:
        state = session.get(WorkflowState, view.case.id).state
    assert "仓库消防通道堵塞" in state and "\\u4ed3" not in state and '", "' not in state
    process = runtime.specs.latest("approval")
    escaped = json.dumps(json.loads(state))  # as SpiffWorkflow's own serializer writes it
    assert len(escaped.encode()) > len(state.encode())
    restored = serialization.load(escaped, process.spec, process.subprocess_specs, None)
    assert serialization.dump(restored) == state
    assert restored.last_task.data["summary"] == "仓库消防通道堵塞"
