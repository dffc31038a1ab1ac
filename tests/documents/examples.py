"""A complete example case (DOMAIN.md §12 E1: furniture plant, principal person fined 25,000 under SPL Art. 94(1),
inside its first-finding range of 20,000-50,000), and for the 当场处罚决定书 a case of its own: APL Art. 51 allows
a decision on the spot only up to 200 yuan on a person and 3,000 on a unit, so no 25,000 there."""

from copy import deepcopy
from datetime import datetime
from zoneinfo import ZoneInfo

ISSUED_AT = datetime(2026, 2, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

PARTY = {
    "kind": "unit",
    "name": "遂川县宏达家具厂",
    "credit_code": "91360827MA35XXXX1K",
    "address": "遂川县工业园区泉江大道88号",
    "legal_representative": "刘建国",
    "phone": "0796-6312345",
}

# The same case with the party a natural person (the principal is fined as a person, SPL Art. 94).
PERSON_PARTY = {
    "kind": "person",
    "name": "刘建国",
    "sex": "男",
    "id_number": "360827197501010011",
    "employer": "遂川县宏达家具厂",
    "post": "厂长",
    "address": "遂川县泉江镇龙泉大道20号",
    "phone": "13907961234",
}

OFFICERS = [
    {"name": "张伟", "certificate_no": "36082700123"},
    {"name": "李娜", "certificate_no": "36082700456"},
]

_VALUES = {
    # case-level data
    "case_number": "遂应急立〔2026〕3号",
    "case_name": "遂川县宏达家具厂主要负责人未组织制定安全生产教育和培训计划案",
    "agency_name": "遂川县应急管理局",
    "party": PARTY,
    "officers": OFFICERS,
    # inspection stage
    "targets": "遂川县宏达家具厂",
    "planned_time": "2026年2月",
    "checklist": "安全生产教育和培训计划及其实施情况",
    "legal_basis": "《中华人民共和国安全生产法》第六十五条第一款第三项",
    "approval_opinion": "同意",
    "place": "遂川县宏达家具厂生产车间",
    "started_at": "2026-02-20T09:30:00+08:00",
    "ended_at": "2026-02-20T11:05:00+08:00",
    "site_responsible": "刘建国",
    "checked_items": "安全生产教育和培训计划、培训档案",
    "findings": "该厂主要负责人刘建国未组织制定本单位安全生产教育和培训计划。",
    "handling": "责令限期整改",
    "unit_attendees": [{"role": "principal", "name": "刘建国", "post": "厂长"}, {"role": "safety_manager", "name": "钟敏", "post": "安全员"}],
    "experts": [{"name": "钟华", "employer": "吉安市安全生产协会", "specialty": "机械安全"}],
    "problems": [{"description": "未制定安全生产教育和培训计划", "provision": "《中华人民共和国安全生产法》第二十一条第三项"}],
    "unit_signature": "signed",
    "inspection_date": "2026-02-20",
    "rectification_items": [
        {
            "problem": "未制定安全生产教育和培训计划",
            "provision": "《中华人民共和国安全生产法》第二十一条第三项",
            "requirement": "制定年度安全生产教育和培训计划并组织实施",
            "deadline": "2026-03-06",
        }
    ],
    "order_number": "（遂）应急责改〔2026〕5号",
    "reinspection_date": "2026-03-09",
    "reinspection_results": [{"problem": "未制定安全生产教育和培训计划", "result": "已整改"}],
    "opinion": "经复查，所列问题已整改完毕。",
    "hazard": "喷漆车间可燃物堆积，通风设施停用",
    "measures": "责令喷漆车间暂时停止作业",
    "measure_term": "至隐患排除为止",
    "measure_kind": "查封",
    "reason": "存在重大事故隐患",
    "seized_items": [{"name": "喷漆设备", "specification": "PQ-2", "quantity": "2台", "location": "喷漆车间"}],
    "term_days": 30,
    "power_supplier": "国网遂川县供电公司",
    "cut_at": "2026-02-22T09:00:00+08:00",
    "cut_notice_number": "（遂）应急停〔2026〕1号",
    # general procedure
    "case_source": "检查发现：（遂泉）应急检〔2026〕2号",
    "case_summary": "2026年2月20日检查发现该厂主要负责人未组织制定安全生产教育和培训计划。",
    "suspected_provisions": "《中华人民共和国安全生产法》第二十一条第三项",
    "officer_opinion": "建议立案调查",
    "head_opinion": "同意",
    "approved_on": "2026-02-21",
    "filed_on": "2026-02-21",
    "cancellation_ground": "立案错误",
    "inquiry_at": "2026-02-23T09:00:00+08:00",
    "inquiry_place": "遂川县应急管理局执法大队询问室",
    "materials": "身份证、营业执照复印件",
    "contact": "张伟 0796-6300000",
    "inquired_person": "刘建国",
    "inquired_person_details": "男，1975年出生，遂川县宏达家具厂厂长",
    "recorder": "李娜",
    "transcript": "问：你厂是否制定了安全生产教育和培训计划？答：没有。",
    "witness": "王强",
    "scene": "生产车间内未见培训记录公示。",
    "sampled_at": "2026-02-23T10:00:00+08:00",
    "samples": [{"name": "油漆", "specification": "批号20260101", "quantity": "1桶"}],
    "items_summary": "培训档案一册",
    "preserved_items": [{"name": "培训档案", "specification": "", "quantity": "1册"}],
    "storage_place": "遂川县应急管理局证据保管室",
    "notice_number": "（遂）应急先保通〔2026〕1号",
    "institution": "江西省安全生产科学技术研究中心",
    "questions": "油漆闪点",
    "required_by": "2026-03-15",
    "facts": "2026年2月20日，执法人员检查发现你厂主要负责人刘建国未组织制定本单位安全生产教育和培训计划。",
    "evidence": "现场检查记录、询问笔录、营业执照复印件",
    "violated_provisions": "《中华人民共和国安全生产法》第二十一条第三项",
    "penalty_basis": "《中华人民共和国安全生产法》第九十四条第一款",
    "discretion": "首次违法，按一般情节裁量",
    "proposal": "对刘建国处以罚款",
    "proposed_penalty": "对刘建国处以罚款",
    "fine_amount": "25000",
    "defence_days": 3,
    "agency_address": "遂川县泉江镇龙泉大道1号",
    "request_days": 5,
    "recorded_at": "2026-03-02T15:00:00+08:00",
    "statements": "当事人称已着手制定培训计划。",
    "new_evidence": "培训计划草稿",
    "review_result": "不予采纳",
    "hearing_at": "2026-03-16T09:00:00+08:00",
    "hearing_place": "遂川县应急管理局三楼会议室",
    "host": "陈明",
    "public_hearing": "公开",
    "participants": "调查人员张伟、李娜；当事人刘建国",
    "proceedings": "调查人员陈述违法事实、证据和拟处罚意见，当事人进行申辩和质证。",
    "summary": "听证会按程序进行。",
    "host_opinion": "建议维持拟处罚意见。",
    "review_items": "执法主体、程序、事实证据、法律适用、裁量基准",
    "conclusion": "同意",
    "issues_found": "无",
    "reviewer": "赵敏",
    "reviewed_on": "2026-03-18",
    "discussed_at": "2026-03-20T15:00:00+08:00",
    "chair": "周局长",
    "presenter": "张伟",
    "attendees": "周局长、吴副局长、赵敏",
    "discussion": "与会人员认为事实清楚、证据确凿。",
    "statement_review": "当事人的陈述申辩经复核不予采纳。",
    "penalty": "对刘建国处以罚款",
    "payment_place": "中国银行遂川支行，账号 1234 5678 9012",
    "occurred_at": "2026-02-20T10:00:00+08:00",
    "ground": "违法行为轻微并及时改正，没有造成危害后果",
    "ground_basis": "《中华人民共和国行政处罚法》第三十三条第一款",
    "education": "已对当事人进行批评教育",
    "receiving_agency": "遂川县市场监督管理局",
    "transfer_reason": "锅炉属特种设备，依法由市场监督管理部门管辖",
    "suspected_charge": "危险作业罪",
    "case_officer": "张伟 0796-6300000",
    "procuratorate": "遂川县人民检察院",
    "referral_report": "当事人在现场处理措施决定书责令停止使用后仍使用喷漆车间，具有发生重大伤亡事故的现实危险，涉嫌危险作业罪，建议移送公安机关。",
    "items_involved": "喷漆设备2台",
    "team_formed_on": "2026-03-25",
    "police_document_no": "遂公（刑）不立字〔2026〕3号",
    "objection_reasons": "喷漆车间在停止使用期间持续作业，已具有发生重大伤亡事故的现实危险。",
    "objected_on": "2026-04-02",
    "reconsideration_document_no": "遂公复字〔2026〕2号",
    "publication_channel": "遂川县人民政府网站",
    "withdrawal_reason": "该行政处罚决定已被行政复议机关撤销",
    "withdrawn_on": "2026-06-18",
    "decision_number": "（遂）应急罚〔2026〕12号",
    "decision_date": "2026-03-23",
    "surcharge_amount": "1800.50",
    "pay_by": "2026-05-10",
    "reasons": "经营困难",
    "schedule": "分两期缴纳",
    "recipient": "刘建国",
    "served_documents": [{"title": "行政处罚决定书", "number": "（遂）应急罚〔2026〕12号"}],
    "service_place": "遂川县宏达家具厂办公室",
    "served_at": "2026-03-24T10:00:00+08:00",
    "service_method": "直接送达",
    "server": "张伟、李娜",
    "remarks": "无",
    "court": "遂川县人民法院",
    "reminder_number": "（遂）应急催〔2026〕2号",
    "reminder_served_on": "2026-05-12",
    "request": "强制执行罚款人民币贰万伍仟元整及加处罚款",
    "head_name": "周局长",
    "result": "罚款人民币贰万伍仟元整",
    "enforcement_status": "已缴纳",
    "cause": "未组织制定安全生产教育和培训计划",
    "closed_on": "2026-04-10",
    "retention": "长期",
    "page_count": 42,
    "entries": [{"title": "行政处罚决定书", "number": "（遂）应急罚〔2026〕12号", "date": "2026-03-23", "pages": "1-3"}],
    "notes": "本卷共42页。",
    "checker": "赵敏",
}


# The violation each example case is about (tests/documents/test_examples_lawful.py holds them to the law).
VIOLATION_CODE = "SPL-094-1"  # 主要负责人未履行安全生产管理职责, the principal fined as a person
SIMPLE_VIOLATION_CODE = "SPL-099-1-01"  # 未设置明显的安全警示标志, first finding: a fine of up to 50,000

# 当场处罚: 200 yuan is within APL Art. 51 for a person and for a unit alike.
_SIMPLE_CASE = {
    "occurred_at": "2026-02-20T10:00:00+08:00",
    "place": "遂川县工业园区泉江大道88号喷漆车间",
    "facts": "2026年2月20日，执法人员检查发现喷漆车间入口未设置明显的安全警示标志，违法事实确凿。",
    "violated_provisions": "《中华人民共和国安全生产法》第三十五条",
    "penalty_basis": "《中华人民共和国安全生产法》第九十九条第一项",
    "penalty": "罚款人民币贰佰元",
    "fine_amount": "200",
}
_OVERRIDES = {"simple_penalty_decision": _SIMPLE_CASE}


def complete_values(doc_id: str | None = None) -> dict:
    """Values for every field of every catalogue document (a fresh copy per call); with `doc_id`, the values of
    the example case that document belongs to."""
    return deepcopy(_VALUES | _OVERRIDES.get(doc_id, {}))
