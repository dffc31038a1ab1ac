"""Issue 10: what a form offers to choose from: the officers a step may name and the violation catalogue."""

from tests.api.conftest import start_inspection


def test_any_officer_lists_the_officers_of_their_agency_with_certificates(client, auth, world):
    listed = client.get("/api/v1/officers", headers=auth("t1b"))
    assert listed.status_code == 200
    officers = {o["name"]: o for o in listed.json()}
    assert list(officers) == ["用户t1a", "用户t1b", "用户t1expired"]  # no auxiliary staff, no other township
    assert {k: officers["用户t1a"][k] for k in ("user_id", "name", "certificate_no", "certificate_valid")} == world.officer("t1a") | {
        "certificate_valid": True}
    assert officers["用户t1expired"]["certificate_expires"] == "2026-03-01"
    assert officers["用户t1expired"]["certificate_valid"] is False


def test_a_case_s_officers_include_those_the_bureau_added(client, auth, world):
    case_id = start_inspection(client, auth("t1a"), world.agencies.township.id)["case"]["id"]
    client.post(f"/api/v1/cases/{case_id}/members", json={"user_id": world.id("t2a")}, headers=auth("c1"))
    names = [o["name"] for o in client.get("/api/v1/officers", params={"case_id": case_id}, headers=auth("t1a")).json()]
    assert names == ["用户t1a", "用户t1b", "用户t1expired", "用户t2a"]
    other = client.get("/api/v1/officers", params={"case_id": case_id}, headers=auth("t2b"))
    assert other.status_code == 404  # a case the caller does not see is answered as a missing one


def test_the_violation_catalogue_is_searchable_by_code_keyword_and_article(client, auth, world):
    def codes(**params):
        response = client.get("/api/v1/violations", params=params, headers=auth("t1a"))
        assert response.status_code == 200
        return [v["code"] for v in response.json()]

    assert len(codes()) == 68
    assert codes(code="spl-099")[:2] == ["SPL-099-1-01", "SPL-099-1-02"] and len(codes(code="SPL-099")) == 8
    assert codes(q="警示标志") == ["SPL-099-1-01", "WHP-078-1-08"]
    assert codes(article="第三十五条", code="SPL-099") == ["SPL-099-1-01"]
    assert set(codes(article="99")) == set(codes(article="九十九")) == set(codes(code="SPL-099"))
    one = client.get("/api/v1/violations/SPL-099-1-01", headers=auth("t1a")).json()
    assert one["penalty_provision"].startswith("《安全生产法》第九十九条")
    # the law's tiers, as the officer drafting the report sees them
    overdue = [(t["target_label"], t["kind_label"], t["mandatory"], t["fine_min_yuan"], t["fine_max_yuan"])
               for t in one["tiers"] if t["tier"] == "overdue"]
    assert overdue == [("生产经营单位", "罚款", True, 50000, 200000),
                       ("直接负责的主管人员和其他直接责任人员", "罚款", True, 10000, 20000)]
    # SPL Art. 108: on first finding the article orders correction only, the fines come on refusal
    obstruction = client.get("/api/v1/violations/SPL-108-1", headers=auth("t1a")).json()["tiers"]
    assert [(t["kind_label"], t["mandatory"]) for t in obstruction if t["tier"] == "first_finding"] == [("责令改正（不予处罚）", False)]
    missing = client.get("/api/v1/violations/SPL-999-1", headers=auth("t1a"))
    assert (missing.status_code, missing.json()["message"]) == (404, "违法行为清单中没有代码 SPL-999-1")
