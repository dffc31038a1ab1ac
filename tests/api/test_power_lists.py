"""Issue 15, power and entrustment lists over HTTP: the county keeps each township's list (effective-dated, every
change recorded with a new version, the entrustment letter in object storage); townships read their own."""

from __future__ import annotations

import hashlib


def test_the_county_keeps_a_townships_list_and_every_change_is_recorded(client, auth, world):
    township = world.agencies.township.id
    listed = client.get(f"/api/v1/powers/{township}?on=2026-03-02", headers=auth("t1a")).json()
    assert (listed["version"], listed["source"]) == (0, "default")
    assert sorted(c for i in listed["items"] for c in i["violation_codes"]) == ["SPL-094-1", "SPL-096-1-OTH", "SPL-096-1-SAF"]

    unknown = {"item_code": "QJ-01", "name": "未知", "mode": "entrusted", "violation_codes": ["SPL-999"],
               "penalty_kinds": ["fine"], "valid_from": "2026-04-01"}
    refused = client.post(f"/api/v1/powers/{township}/items", headers=auth("t1a"), json=unknown)
    assert refused.status_code == 403  # a township reads its list; the county bureau keeps it
    bad = client.post(f"/api/v1/powers/{township}/items", headers=auth("head"), json=unknown)
    assert bad.status_code == 422 and bad.json()["code"] == "power_item_invalid"
    added = client.post(f"/api/v1/powers/{township}/items", headers=auth("head"), json={
        "item_code": "QJ-01", "name": "未按规定投保安全生产责任保险(赋权)", "mode": "delegated",
        "violation_codes": ["SPL-109-1"], "penalty_kinds": ["fine"], "valid_from": "2026-04-01"})
    assert added.status_code == 201, added.text
    assert added.json()["version"] == 4  # the default list written down first (3), then the new item

    ended = [i for i in client.get(f"/api/v1/powers/{township}?on=2026-03-02", headers=auth("c1")).json()["items"]
             if i["item_code"] == "SPL-094-1"][0]
    response = client.post(f"/api/v1/powers/items/{ended['id']}/end", headers=auth("c1"), json={"effective_on": "2026-05-01"})
    assert response.status_code == 200 and response.json()["valid_until"] == "2026-04-30"

    def codes(on):
        return sorted(i["item_code"] for i in
                      client.get(f"/api/v1/powers/{township}?on={on}", headers=auth("t1a")).json()["items"])
    assert codes("2026-03-02") == ["SPL-094-1", "SPL-096-1-OTH", "SPL-096-1-SAF"]
    assert codes("2026-04-15") == ["QJ-01", "SPL-094-1", "SPL-096-1-OTH", "SPL-096-1-SAF"]
    assert codes("2026-05-01") == ["QJ-01", "SPL-096-1-OTH", "SPL-096-1-SAF"]
    history = client.get(f"/api/v1/powers/{township}", headers=auth("t1a")).json()["changes"]
    assert [(c["version"], c["action"], c["user_name"]) for c in history][-2:] == [
        (4, "added", "用户head"), (5, "ended", "用户c1")]
    assert client.get(f"/api/v1/powers/{township}", headers=auth("t2a")).status_code == 404


def test_the_entrustment_letter_is_stored_with_its_hash(client, auth, world):
    township = world.agencies.township.id
    item = client.post(f"/api/v1/powers/{township}/items", headers=auth("c1"), json={
        "item_code": "QJ-02", "name": "主要负责人未履职(委托)", "mode": "entrusted", "violation_codes": ["SPL-094-1"],
        "penalty_kinds": ["warning", "fine"], "valid_from": "2026-01-01"}).json()
    letter = b"%PDF-1.4 entrustment letter"
    stored = client.put(f"/api/v1/powers/items/{item['id']}/letter?name=委托书2026.pdf", headers=auth("c1"), content=letter)
    assert stored.status_code == 200, stored.text
    assert stored.json()["letter_sha256"] == hashlib.sha256(letter).hexdigest()
    assert stored.json()["letter_name"] == "委托书2026.pdf"
    empty = client.put(f"/api/v1/powers/items/{item['id']}/letter", headers=auth("c1"), content=b"")
    assert empty.status_code == 422 and empty.json()["code"] == "power_letter_empty"
