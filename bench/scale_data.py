"""Years of cases in bulk: real template cases driven through the runtime, copied with COPY into PostgreSQL.

Four templates are made the ordinary way (runtime, demo agencies and users): an inspection that
ended rectified, the demo story (an inspection reported up and the county's general-procedure case
through to archiving, with its documents), an inspection still open at the early-reinspection
step, and a county case open at the investigation. Every copy gets new ids, a case number of its own, an agency among the county's 20
(townships' cases go to a township, the county's to the county), a party among 2,000 names, and
its timestamps moved back by up to five years (open cases by up to a month). The rows are the
templates' own: record events with their inputs, issued documents with their snapshots, evidence items
(their metadata; no object is stored), inbox rows. A third of the townships' inspections had their pair drawn
(双随机): two `drawn` members, the township's certified officers.
The serialized workflow (`workflow_state`) is not copied: no listing or case page reads it (its size
per case is measured on its own), and copying ~20 KB per case would dominate the generation time.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import psycopg
from bench_http import PAIRS, PARTY, forms
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from api.bootstrap import build_runtime
from api.demo import SCRIPT, run_demo, step_data
from api.identity.models import User
from engine import clock
from engine.db import get_engine, transaction
from engine.models import Actor, Agency, Case
from engine.vocab import AgencyKind, Role

TABLES = ("case", "task", "record_event", "document_issued", "case_member", "evidence")
EXTRA_TOWNSHIPS = ["衙前镇", "禾源镇", "草林镇", "堆子前镇", "左安镇", "高坪镇", "大汾镇", "戴家埔乡", "营盘圩乡",
                   "汤湖镇", "西溪乡", "新江乡", "五斗江乡", "巾石乡", "碧洲镇"]
CHUNK = 2000  # template copies per COPY round
# cases still open after years of work: 2 % inspections in the townships, 0.1 % cases in the county's own inbox
OPEN_SHARE, OPEN_COUNTY_SHARE = 0.02, 0.001
DRAWN_SHARE = 1 / 3  # inspections of a plan's draw: their officers are case members (purpose `drawn`)
MEMBER_COLUMNS = ["id", "case_id", "user_id", "purpose", "added_by", "added_at"]


@dataclass
class Template:
    name: str
    case_ids: list[int]
    rows: dict[str, list[dict]]  # table -> raw rows of these cases

    def events(self) -> int:
        return len(self.rows["record_event"])


def conninfo(url: str) -> str:
    u = make_url(url)
    return psycopg.conninfo.make_conninfo(host=u.host, port=u.port, user=u.username, dbname=u.database, password=u.password or "")


def add_townships(url: str) -> None:
    """The demo county has 5 agencies; 15 more townships make the issue's 20."""
    with transaction(get_engine(url)) as session:
        county = session.exec(select(Agency).where(Agency.kind == AgencyKind.county_bureau)).one()
        for index, name in enumerate(EXTRA_TOWNSHIPS):
            session.add(Agency(code=f"bench-township-{index}", name=f"{name}人民政府", short_name=f"遂{name[0]}{index}",
                               kind=AgencyKind.township, parent_id=county.id))


def _inspection(runtime, users: dict[str, User], steps: tuple[str, ...]) -> int:
    first, second = (users[name] for name in PAIRS[0])
    actor = Actor(user_id=first.id, name=first.display_name, role=Role.township_officer, agency_id=first.agency_id)
    officers = [{"user_id": u.id, "name": u.display_name, "certificate_no": u.certificate_number} for u in (first, second)]
    view = runtime.start_case("inspection", agency_id=first.agency_id, actor=actor, data={"party": PARTY},
                              party_name=PARTY["name"], title="日常安全生产检查")
    data = forms(officers)
    for name in steps:
        if name == "整改复查":
            data[name]["order_number"] = view.data["documents"]["rectification_order"]
        [task] = [t for t in view.tasks if t.name == name]
        view = runtime.complete_task(task.id, data[name], actor)
    return view.case.id


def _open_county_case(runtime, users: dict[str, User]) -> int:
    """A county case filed and approved, waiting for the investigation (调查取证) in the county officers' inbox."""
    def acting(username: str, role: Role) -> Actor:
        user = users[username]
        return Actor(user_id=user.id, name=user.display_name, role=role, agency_id=user.agency_id)

    officers = [{"user_id": users[u].id, "name": users[u].display_name, "certificate_no": users[u].certificate_number}
                for u in ("county1", "county2")]
    script = {step.task: step for step in SCRIPT}
    case_data = {"source": {"case_number": "（遂泉）应急检〔2026〕1号", "documents": {"inspection_record": "（遂泉）应急检记〔2026〕1号"}},
                 "documents": {}}
    view = runtime.start_case("general_procedure", agency_id=users["county1"].agency_id, kind="case",
                              actor=acting("county1", Role.county_officer), data={"party": PARTY},
                              party_name=PARTY["name"], title="安全生产违法案件")
    for name, username, role in (("填写立案审批表", "county1", Role.county_officer), ("审批立案", "head", Role.agency_head)):
        [task] = [t for t in view.tasks if t.name == name]
        view = runtime.complete_task(task.id, step_data(script[name], case_data, lambda *u: officers), acting(username, role))
    return view.case.id


def make_templates(url: str) -> list[Template]:
    """Drive the three template cases; the settings (ZHIFA_DATABASE_URL) must point at `url`."""
    run_demo(echo=lambda line: None)
    runtime = build_runtime(engine=get_engine(url))
    with Session(runtime.engine) as session:
        users = {u.username: u for u in session.exec(select(User))}
        demo_ids = sorted(session.exec(select(Case.id)))
    clock.set_clock(lambda: datetime.fromisoformat("2026-03-12T09:00:00+08:00"))
    try:
        closed = _inspection(runtime, users, ("现场检查", "责令限期整改", "登记单位提前申请复查", "整改复查"))
        opened = _inspection(runtime, users, ("现场检查", "责令限期整改"))
        clock.set_clock(lambda: datetime.fromisoformat("2026-03-18T09:00:00+08:00"))  # after the script's approval date
        county_open = _open_county_case(runtime, users)
    finally:
        clock.set_clock(None)
    with psycopg.connect(conninfo(url)) as conn:
        def rows(ids: list[int]) -> dict[str, list[dict]]:
            out = {}
            for table in TABLES:
                key = "id" if table == "case" else "case_id"
                cursor = conn.cursor(row_factory=psycopg.rows.dict_row)
                out[table] = cursor.execute(f'SELECT * FROM "{table}" WHERE {key} = ANY(%s) ORDER BY 1', [ids]).fetchall()
            return out
        return [Template("closed_inspection", [closed], rows([closed])),
                Template("demo_story", demo_ids, rows(demo_ids)),
                Template("open_inspection", [opened], rows([opened])),
                Template("open_county_case", [county_open], rows([county_open]))]


class Generator:
    """Appends copies of the templates; call `grow(total_cases, events_per_case)` repeatedly to grow."""

    def __init__(self, url: str, templates: list[Template], seed: int = 17):
        self.url, self.random = url, random.Random(seed)
        self.templates = {t.name: t for t in templates}
        with psycopg.connect(conninfo(url)) as conn:
            agencies = conn.execute("SELECT id, kind, short_name FROM agency").fetchall()
            self.next_ids = {t: conn.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{t}"').fetchone()[0]
                             for t in TABLES if t != "task"}
            self.cases = conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
            users = conn.execute("SELECT id, agency_id, roles FROM app_user WHERE staff_category = 'officer' ORDER BY id").fetchall()
        self.officers: dict[int, list[int]] = {}  # a township's certified officers, who may be drawn
        for user_id, agency_id, roles in users:
            if Role.township_officer in roles:
                self.officers.setdefault(agency_id, []).append(user_id)
        self.draws = random.Random(seed + 1)  # its own sequence: the cases' agencies and parties stay as they were
        self.county = [(a, s) for a, k, s in agencies if k == AgencyKind.county_bureau][0]
        self.townships = [(a, s) for a, k, s in agencies if k != AgencyKind.county_bureau]
        self.parties = [f"遂川县{self.random.choice('林峰华盛鑫源恒达顺丰金山宏远')}{i}号{self.random.choice(['木业', '矿业', '化工', '烟花', '建材'])}有限公司"
                        for i in range(2000)]

    def _mix(self, cases: int, events: int) -> list[tuple[Template, int]]:
        """How many copies of each template give `cases` cases and about `events` record events."""
        closed, story, opened, county = (self.templates[n] for n in ("closed_inspection", "demo_story", "open_inspection",
                                                                     "open_county_case"))
        n_open, n_county = max(1, round(cases * OPEN_SHARE)), max(1, round(cases * OPEN_COUNTY_SHARE))
        rest_cases = cases - n_open - n_county
        rest_events = events - n_open * opened.events() - n_county * county.events()
        # x closed copies + y story copies: x + 2y = rest_cases, x*ec + y*es = rest_events
        ec, es = closed.events(), story.events()
        y = (rest_events - rest_cases * ec) / (es - 2 * ec)
        y = int(min(max(y, 0), rest_cases // 2))
        return [(closed, rest_cases - 2 * y), (story, y), (opened, n_open), (county, n_county)]

    def grow(self, total_cases: int, events_per_case: float) -> dict:
        add = total_cases - self.cases
        if add <= 0:
            return {"cases": self.cases}
        plan = self._mix(add, int(add * events_per_case))
        copies = [t for t, n in plan for _ in range(n)]
        self.random.shuffle(copies)
        counts = dict.fromkeys(TABLES, 0)
        columns = {}
        for template in self.templates.values():
            for table in TABLES:
                if template.rows[table]:
                    columns[table] = list(template.rows[table][0])
        columns.setdefault("case_member", MEMBER_COLUMNS)  # after "case": the templates have no drawn members
        with psycopg.connect(conninfo(self.url)) as conn, conn.cursor() as cursor:
            # the cluster runs with synchronous_commit off: until this commit is flushed, VACUUM cannot mark the
            # new rows visible to all
            cursor.execute("SET synchronous_commit = on")
            for start in range(0, len(copies), CHUNK):  # one COPY at a time per connection, table by table
                rows: dict[str, list[list]] = {t: [] for t in columns}
                for template in copies[start:start + CHUNK]:
                    for table, new_rows in self._copy(template).items():
                        if new_rows:
                                rows[table].extend([_db_value(r[c]) for c in columns[table]] for r in new_rows)
                for table, values in rows.items():
                    names = ", ".join(f'"{c}"' for c in columns[table])
                    with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                        for value in values:
                            copy.write_row(value)
                    counts[table] += len(values)
            for table in TABLES:
                if table != "task":
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))")
            conn.commit()
        # what autovacuum does within minutes of a bulk load: without it the plans read a state no running
        # database stays in (no visibility map: no index-only scans; GIN pending lists), and autovacuum
        # would run during the measurements
        with psycopg.connect(conninfo(self.url), autocommit=True) as conn:
            conn.execute("VACUUM")  # then ANALYZE on its own: `VACUUM ANALYZE` left pg_class.relallvisible at 0 here
            conn.execute("ANALYZE")
        self.cases = total_cases
        return {"added": counts, "mix": {t.name: n for t, n in plan}}

    def _copy(self, template: Template) -> dict[str, list[dict]]:
        open_case = template.name.startswith("open_")
        shift = timedelta(days=-self.random.uniform(0, 30 if open_case else 5 * 365))
        township, short = self.random.choice(self.townships)
        party = self.random.choice(self.parties)
        case_ids = {}
        for row in template.rows["case"]:
            case_ids[row["id"]] = self.next_ids["case"]
            self.next_ids["case"] += 1
        out: dict[str, list[dict]] = {t: [] for t in TABLES}
        agency_map, task_ids = {}, {}
        for row in template.rows["case"]:
            new = _shifted(row, shift)
            new["id"] = case_ids[row["id"]]
            county = row["agency_id"] == self.county[0]
            agency_map[row["agency_id"]] = self.county[0] if county else township
            new["agency_id"] = agency_map[row["agency_id"]]
            new["parent_case_id"] = case_ids.get(row["parent_case_id"])
            year = (row["started_at"] + shift).year
            prefix = "应急立" if row["kind"] == "case" else "应急检"
            new["number"] = f"（{self.county[1] if county else short}）{prefix}〔{year}〕{new['id']}号"
            new["party_name"] = party
            out["case"].append(new)
        for table in ("task", "record_event", "document_issued", "case_member", "evidence"):
            for row in template.rows[table]:
                new = _shifted(row, shift)
                new["case_id"] = case_ids[row["case_id"]]
                if table == "task":
                    new["id"] = task_ids[row["id"]] = str(uuid.UUID(int=self.random.getrandbits(128), version=4))
                else:
                    new["id"] = self.next_ids[table]
                    self.next_ids[table] += 1
                if "agency_id" in new and new["agency_id"] in agency_map:
                    new["agency_id"] = agency_map[new["agency_id"]]
                if table == "document_issued":
                    new["sequence"] = new["id"]
                if table == "evidence":
                    new["task_id"], new["transferred_from_id"] = task_ids.get(row["task_id"]), None
                out[table].append(new)
        officers = self.officers.get(township, [])
        if template.name.endswith("_inspection") and len(officers) >= 2 and self.draws.random() < DRAWN_SHARE:
            case = out["case"][0]
            for user_id in self.draws.sample(officers, 2):
                out["case_member"].append({"id": self.next_ids["case_member"], "case_id": case["id"], "user_id": user_id,
                                           "purpose": "drawn", "added_by": None, "added_at": case["started_at"]})
                self.next_ids["case_member"] += 1
        return out


def _shifted(row: dict, shift: timedelta) -> dict:
    return {k: (v + shift if isinstance(v, datetime | date) and v is not None else v) for k, v in row.items()}


def _db_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
