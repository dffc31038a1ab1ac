"""The case dossier (卷宗) of a real inspection case driven through the runtime: archive PDF and verified zip."""

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from zipfile import ZipFile

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from typer.testing import CliRunner

from api.bootstrap import build_runtime, object_store
from documents.dossier import MANIFEST, build_dossier, sha256_hex, verify_dossier
from documents.evidence.custody import upload_evidence
from documents.evidence.models import EvidenceMeta, EvidenceType
from documents.models import IssuedDocument
from documents.rendition import convert_pending, render_pending
from engine import record
from engine.errors import InvalidState
from engine.models import Case, RecordEvent
from engine.vocab import Role
from tests.engine.test_inspection_stage import ORDER, PROBLEM, Driver, assessment, record_data, reinspection
from tests.factories import actor, seed_agencies

pytestmark = pytest.mark.libreoffice

PHOTO = b"\xff\xd8\xff\xe0 photo of the workshop"
TRANSFER = {"receiving_agency": "遂川县市场监督管理局", "transfer_reason": "特种设备未按期检验, 属市场监管部门管辖",
            "materials": "现场检查记录1份", "contact": "刘强 0796-6300001"}
# Archive order (DOMAIN.md §7): the transfer letter (a closing document) first, then 检查记录 → 责改 → 复查,
# although the letter was issued last.
ARCHIVE_ORDER = ["案件移送书", "现场检查记录", "责令限期整改指令书", "整改复查意见书"]
A4_WIDTH, A4_HEIGHT = 595, 842  # points, as pdftotext measures at its default 72 dpi


@pytest.fixture
def closed_case(frozen_clock):
    """An inspection case that ends in a transfer: four issued documents, rendered by the worker, one photo."""
    runtime = build_runtime()
    agencies = seed_agencies(runtime.engine)
    store = object_store()
    d = Driver(runtime, agencies.township, Role.township_officer)
    d.do("现场检查", record_data([PROBLEM]))
    with Session(runtime.engine) as session, session.begin():
        # in UTC: the evidence service stores the offset-less wall time on SQLite (reported to the lead)
        meta = EvidenceMeta(type=EvidenceType.documentary, collected_by=["刘强", "陈敏"], collected_at="2026-03-02T02:15:00Z",
                            place="生产车间", description="培训计划缺失的现场照片", filename="车间.jpg", content_type="image/jpeg")
        upload_evidence(session, store, case_id=d.view.case.id, task_id=None, meta=meta, stream=io.BytesIO(PHOTO),
                        expected_sha256=None, actor=actor(Role.township_officer, agencies.township))
    d.do("责令限期整改", ORDER)
    frozen_clock.advance(days=15)
    runtime.fire_due()
    d.view = runtime.get_case(d.view.case.id)
    d.do("整改复查", reinspection(False))
    d.do("违法行为处理意见", assessment(in_em_scope=False, violation_code=None, penalised_party="unit"))
    d.do("制作案件移送书", TRANSFER)
    assert render_pending(runtime.engine, store) == 4
    yield runtime, store, d.view.case.id
    runtime.engine.dispose()


def page_text(pdf: Path, page: int, crop: tuple[int, int, int, int] | None = None) -> str:
    """pdftotext of one page, optionally only the region (x, y, width, height) measured from the top left."""
    region = [] if crop is None else ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
    args = ["pdftotext", "-f", str(page), "-l", str(page), "-layout", *region, str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def bottom_right(pdf: Path, page: int) -> str:
    return page_text(pdf, page, (420, 780, A4_WIDTH - 420, A4_HEIGHT - 780)).strip()


def bottom_strip(pdf: Path, page: int) -> str:
    return page_text(pdf, page, (0, 760, A4_WIDTH, A4_HEIGHT - 760)).strip()


def contents_page_numbers(text: str) -> list[int]:
    """The 页号 column of the 卷内目录: the first page of the range after the date, on each line that starts a row."""
    return [int(m.group(2)) for m in re.finditer(r"^\s*(\d+)\s+\S.*?日\s+(\d+)(?:—\d+)?(?:\s|$)", text, re.M)]


def title_page(pdf: Path, title: str, pages: range) -> int:
    """The first page whose header has the title on a line of its own."""
    return next(p for p in pages if title in [line.strip() for line in page_text(pdf, p).splitlines()])


def rewrite_zip(path: Path, changes: dict[str, bytes]) -> None:
    with ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.update(changes)
    with ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


def forge_docx(docx: bytes, old: str, new: str) -> bytes:
    """The same .docx with one text changed in its body, as a forger would edit it."""
    with ZipFile(io.BytesIO(docx)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    assert old.encode() in members["word/document.xml"]
    members["word/document.xml"] = members["word/document.xml"].replace(old.encode(), new.encode())
    buffer = io.BytesIO()
    with ZipFile(buffer, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    return buffer.getvalue()


def test_contents_give_the_page_where_each_document_starts(closed_case, pdf_converter, tmp_path):
    runtime, store, case_id = closed_case
    with Session(runtime.engine) as session:
        result = build_dossier(session, store, case_id, tmp_path / "out", converter=pdf_converter)
    pdf = result.pdf_path
    total = page_count(pdf)

    cover, contents = page_text(pdf, 1), page_text(pdf, 2)
    assert "卷宗封面" in cover and "卷内目录" in contents
    assert "卷内目录" not in cover and "备考表" in page_text(pdf, total)
    compact_cover = re.sub(r"\s+", "", cover)
    for expected in ["案件名称日常检查", "遂川县林峰家具厂", "案由未制定本单位安全生产教育和培训计划", "处理结果移送有管辖权的部门处理",
                     "立案日期2026年3月2日", "结案日期2026年3月17日", "刘强（执法证号：36082701001）", "保管期限30年"]:
        assert expected in compact_cover

    numbers = contents_page_numbers(contents)
    titles = [*ARCHIVE_ORDER, "证据清单"]  # the evidence list follows the documents, numbered with them
    starts = [title_page(pdf, title, range(3, total)) for title in titles]
    assert starts == sorted(starts)  # the documents follow the archive order, not the order of issue
    assert numbers[0] == 1 and len(numbers) == len(titles)
    for title, number, physical in zip(titles, numbers, starts):
        assert bottom_right(pdf, physical) == str(number), title
        assert physical == number + 2, title  # cover and contents come first, unnumbered

    numbered = range(3, total)
    assert [bottom_right(pdf, p) for p in numbered] == [str(n) for n in range(1, total - 2)]
    assert f"本卷页数{total - 3}" in compact_cover and result.page_count == total - 3
    for unnumbered in (1, 2, total):
        assert bottom_strip(pdf, unnumbered) == ""
    notes = re.sub(r"\s+", "", page_text(pdf, total))
    assert f"本卷共有文件材料5件（文书4件、证据清单1件），共{total - 3}页" in notes and "证据1项（书证1项）" in notes
    assert "立卷人刘强" in notes


def test_zip_holds_the_originals_the_evidence_list_and_a_manifest_that_verifies(closed_case, pdf_converter, tmp_path):
    runtime, store, case_id = closed_case
    with Session(runtime.engine) as session:
        result = build_dossier(session, store, case_id, tmp_path, converter=pdf_converter)
        case = session.get(Case, case_id)
        head = (case.record_seq, case.record_head)
        assert verify_dossier(session, store, result.zip_path) == []
    with ZipFile(result.zip_path) as archive:
        names = sorted(archive.namelist())
        manifest = json.loads(archive.read(MANIFEST))
        evidence = list(csv.reader(io.StringIO(archive.read("证据清单.csv").decode("utf-8-sig"))))
        docx_hashes = {name: sha256_hex(archive.read(name)) for name in names if name.endswith(".docx")}
    assert names == ["documents/01_案件移送书.docx", "documents/02_现场检查记录.docx", "documents/03_责令限期整改指令书.docx",
                     "documents/04_整改复查意见书.docx", "manifest.json", "证据清单.csv"]
    assert manifest["case_number"] == "（遂泉）应急检〔2026〕1号"
    assert (manifest["record"]["seq"], manifest["record"]["head"]) == head
    assert manifest["archive_pdf"] == {"file": "case-1-dossier.pdf", "sha256": sha256_hex(result.pdf_path.read_bytes()),
                                       "pages": page_count(result.pdf_path), "numbered_pages": result.page_count}
    assert {name: manifest["files"][name] for name in docx_hashes} == docx_hashes
    assert [(d["title"], d["number"]) for d in manifest["documents"]] == [
        ("案件移送书", "（遂）应急移〔2026〕1号"), ("现场检查记录", "（遂）应急检记〔2026〕1号"),
        ("责令限期整改指令书", "（遂）应急责改〔2026〕1号"), ("整改复查意见书", "（遂）应急复查〔2026〕1号")]
    assert evidence == [["序号", "证据种类", "说明", "收集人", "收集时间", "收集地点", "文件名", "SHA-256", "来源"],
                        ["1", "书证", "培训计划缺失的现场照片", "刘强、陈敏", "2026年3月2日10时15分", "生产车间", "车间.jpg", sha256_hex(PHOTO), ""]]

    convert_pending(runtime.engine, store, pdf_converter)  # the record grows after the dossier was built
    with Session(runtime.engine) as session:
        assert record.event_count(session, case_id) > head[0]
        assert verify_dossier(session, store, result.zip_path) == []


def test_an_altered_docx_is_named_even_when_the_manifest_is_altered_with_it(closed_case, pdf_converter, tmp_path):
    runtime, store, case_id = closed_case
    with Session(runtime.engine) as session:
        result = build_dossier(session, store, case_id, tmp_path, converter=pdf_converter)
    target = "documents/02_现场检查记录.docx"
    with ZipFile(result.zip_path) as archive:
        forged = forge_docx(archive.read(target), "王林峰", "王林锋")
        manifest = json.loads(archive.read(MANIFEST))
    rewrite_zip(result.zip_path, {target: forged})
    with Session(runtime.engine) as session:
        assert verify_dossier(session, store, result.zip_path) == [
            "文件「documents/02_现场检查记录.docx」的SHA-256与清单不符，内容已被改动",
            "文书「现场检查记录」（遂）应急检记〔2026〕1号（documents/02_现场检查记录.docx）的SHA-256与系统中记录的不符，不是系统生成的原件"]

    manifest["files"][target] = sha256_hex(forged)
    rewrite_zip(result.zip_path, {MANIFEST: json.dumps(manifest, ensure_ascii=False).encode("utf-8")})
    with Session(runtime.engine) as session:
        assert verify_dossier(session, store, result.zip_path) == [
            "文书「现场检查记录」（遂）应急检记〔2026〕1号（documents/02_现场检查记录.docx）的SHA-256与系统中记录的不符，不是系统生成的原件"]

    result.pdf_path.write_bytes(result.pdf_path.read_bytes() + b"\n%")
    with Session(runtime.engine) as session:
        assert "卷宗PDF「case-1-dossier.pdf」的SHA-256与清单不符，内容已被改动" in verify_dossier(session, store, result.zip_path)


def test_an_altered_record_event_is_named(closed_case, pdf_converter, tmp_path):
    runtime, store, case_id = closed_case
    with Session(runtime.engine) as session:
        result = build_dossier(session, store, case_id, tmp_path, converter=pdf_converter)
        rendered = [e for e in record.events(session, case_id) if e.kind == "document_rendered"]
        letter = next(e for e in rendered if e.outputs[0]["name"].startswith("案件移送书"))
    forged = [{**letter.outputs[0], "sha256": "0" * 64}]
    with runtime.engine.begin() as connection:
        connection.execute(sa.update(RecordEvent).where(RecordEvent.id == letter.id).values(outputs=forged))
    with Session(runtime.engine) as session:
        assert verify_dossier(session, store, result.zip_path) == [
            "文书「案件移送书」（遂）应急移〔2026〕1号（documents/01_案件移送书.docx）的SHA-256未见于本案执法全过程记录的文书生成事件",
            f"执法全过程记录校验失败：案件 {case_id} 第 {letter.seq} 条记录(事件ID {letter.id})内容与哈希不符,记录被篡改"]


def test_cli_builds_the_last_case_and_verifies_it(closed_case, tmp_path):
    from api.cli import app

    runner = CliRunner()
    built = runner.invoke(app, ["dossier", "--last", "--out", str(tmp_path / "dossier")])
    assert built.exit_code == 0, built.output
    assert built.output.splitlines() == [str(tmp_path / "dossier" / "case-1-dossier.pdf"), str(tmp_path / "dossier" / "case-1-dossier.zip")]
    checked = runner.invoke(app, ["record", "verify", "--dossier", str(tmp_path / "dossier" / "case-1-dossier.zip")])
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "校验通过: 卷宗 case-1-dossier.zip 的文件、文书原件与执法全过程记录一致（卷宗PDF case-1-dossier.pdf 一并校验）"

    rewrite_zip(tmp_path / "dossier" / "case-1-dossier.zip", {"证据清单.csv": "序号\r\n".encode("utf-8")})
    failed = runner.invoke(app, ["record", "verify", "--dossier", str(tmp_path / "dossier" / "case-1-dossier.zip")])
    assert failed.exit_code == 1
    assert "校验失败: 文件「证据清单.csv」的SHA-256与清单不符，内容已被改动" in failed.output


def test_the_workers_stored_pdf_is_used_and_checked_against_its_recorded_hash(closed_case, pdf_converter, tmp_path):
    runtime, store, case_id = closed_case
    assert convert_pending(runtime.engine, store, pdf_converter) == 4
    with Session(runtime.engine) as session:
        record_pdf = session.exec(select(IssuedDocument).where(IssuedDocument.doc_id == "inspection_record")).one().pdf_object_key
    stored = store.root / record_pdf[:2] / record_pdf
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"\n%")
    with Session(runtime.engine) as session, pytest.raises(InvalidState) as refused:
        build_dossier(session, store, case_id, tmp_path, converter=pdf_converter)
    assert refused.value.message == "文书「现场检查记录」（遂）应急检记〔2026〕1号的PDF文件在对象存储中的内容与记录的哈希不符，可能已被篡改"


def test_a_county_case_opened_from_a_township_report_holds_the_inspection_documents_and_evidence(
        frozen_clock, pdf_converter, tmp_path):
    """The county case's dossier files the township inspection's record, order and re-inspection opinion at their
    archive positions, and the photo it inherited, each marked as from the linked case; it still verifies."""
    runtime = build_runtime()
    agencies = seed_agencies(runtime.engine)
    store = object_store()
    d = Driver(runtime, agencies.township, Role.township_officer)
    d.do("现场检查", record_data([PROBLEM]))
    with Session(runtime.engine) as session, session.begin():
        meta = EvidenceMeta(type=EvidenceType.documentary, collected_by=["刘强", "陈敏"], collected_at="2026-03-02T02:15:00Z",
                            place="生产车间", description="培训计划缺失的现场照片", filename="车间.jpg", content_type="image/jpeg")
        upload_evidence(session, store, case_id=d.view.case.id, task_id=None, meta=meta, stream=io.BytesIO(PHOTO),
                        expected_sha256=None, actor=actor(Role.township_officer, agencies.township))
    d.do("责令限期整改", ORDER)
    frozen_clock.advance(days=15)
    runtime.fire_due()
    d.view = runtime.get_case(d.view.case.id)
    d.do("整改复查", reinspection(False))
    d.do("违法行为处理意见", assessment(violation_code="SPL-099-1-01", penalised_party="unit"))
    render_pending(runtime.engine, store)
    with Session(runtime.engine) as session:
        [county_case] = session.exec(select(Case).where(Case.parent_case_id == d.view.case.id)).all()
        result = build_dossier(session, store, county_case.id, tmp_path, converter=pdf_converter)
        assert verify_dossier(session, store, result.zip_path) == []
    inspection_number = d.view.case.number
    assert [(e.title, e.from_case) for e in result.entries] == [
        ("现场检查记录", inspection_number), ("责令限期整改指令书", inspection_number), ("整改复查意见书", inspection_number)]
    with ZipFile(result.zip_path) as archive:
        evidence = list(csv.reader(io.StringIO(archive.read("证据清单.csv").decode("utf-8-sig"))))
        assert "documents/01_现场检查记录（关联案件）.docx" in archive.namelist()
    assert [(row[2], row[-1]) for row in evidence[1:]] == [("培训计划缺失的现场照片", f"关联案件{inspection_number}")]
    assert page_text(result.pdf_path, 2).count("来自") == 3  # the 备注 column marks each one (it wraps)
