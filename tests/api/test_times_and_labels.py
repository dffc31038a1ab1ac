"""Issue 10: one representation of time (ISO 8601 at +08:00) everywhere; codes come with their Chinese labels."""

from tests.api.conftest import start_inspection


def test_times_are_china_time_everywhere_and_codes_have_chinese_labels(client, auth, world):
    case_id = start_inspection(client, auth("t1a"), world.agencies.township.id)["case"]["id"]
    form = {"type": "audio_video", "collected_by": "用户t1a", "collected_at": "2026-03-02T00:15:00Z"}
    uploaded = client.post(f"/api/v1/cases/{case_id}/evidence", data=form, files={"file": ("现场.mp4", b"video")},
                           headers=auth("t1a"))
    assert uploaded.status_code == 201, uploaded.text
    item = uploaded.json()
    assert (item["collected_at"], item["created_at"]) == ("2026-03-02T08:15:00+08:00", "2026-03-02T09:00:00+08:00")
    assert item["type_label"] == "视听资料"
    types = client.get("/api/v1/evidence-types", headers=auth("t1a")).json()
    assert {"type": "audio_video", "type_label": "视听资料"} in types and len(types) == 8

    detail = client.get(f"/api/v1/cases/{case_id}", headers=auth("t1a")).json()
    [evidence] = detail["evidence"]
    assert (evidence["collected_at"], evidence["created_at"]) == (item["collected_at"], item["created_at"])
    assert detail["case"]["started_at"] == "2026-03-02T09:00:00+08:00"
    assert [(e["kind"], e["kind_label"], e["at"]) for e in detail["timeline"]] == [
        ("case_started", "发起", "2026-03-02T09:00:00+08:00"),
        ("evidence_uploaded", "上传证据", "2026-03-02T09:00:00+08:00")]
    assert client.get(f"/api/v1/cases/{case_id}/record", headers=auth("t1a")).json()[1]["kind_label"] == "上传证据"
