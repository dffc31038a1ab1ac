"""The Chinese words a document prints for a machine value: one table per vocabulary.

Forms store stable machine values (`signed`, `principal`); a catalogue field of type `enum`
names its vocabulary here (`labels: signature`), and rendering prints the label, never the value.
Signature lines, and the dossier cover's outcome, status and retention period, print from the same tables.
"""

from __future__ import annotations

from engine.vocab import CaseStatus

LABELS: dict[str, dict[str, str]] = {
    # who signs a document (catalogue `signers`), on its signature lines
    "signer": {
        "officers": "执法人员",
        "party": "当事人",
        "site_responsible": "现场负责人",
        "inquired_person": "被询问人",
        "agency_head": "负责人",
        "legal_reviewer": "法制审核人员",
        "hearing_host": "听证主持人",
        "recorder": "记录人",
        "witness": "见证人",
        "attendees": "出席人员",
        "recipient": "受送达人",
        "server": "送达人",
        "seal": "印章",
    },
    # who of the inspected unit was present (inspection_record.schema.json `unit_attendees[].role`)
    "attendee_role": {"principal": "主要负责人", "safety_manager": "安全生产管理人员", "operator": "从业人员"},
    # in what capacity someone takes part in a collective discussion (case_collective_discussion.schema.json `members[]`)
    "member_role": {"head": "机关负责人", "deputy_head": "分管负责人", "case_officer": "承办人员",
                    "legal_reviewer": "法制审核人员", "other": "其他参加人员"},
    # whether the unit's responsible person signed the inspection record
    "signature": {"signed": "已签字", "refused": "拒绝签字"},
    # how a case ended (Case.outcome), on the dossier cover's 处理结果
    "outcome": {
        "no_violation": "检查未发现违法行为",
        "rectified": "责令限期整改，复查已整改完毕",
        "entrusted": "逾期未整改，由乡镇（园区）依委托立案处罚",
        "county": "逾期未整改，报告县局立案查处",
        "higher_level": "报告上级应急管理部门查处",
        "transfer": "移送有管辖权的部门处理",
        "transferred": "移送有管辖权的机关处理",
        "referred": "涉嫌犯罪，移送司法机关",
        "referred_accepted": "涉嫌犯罪，移送公安机关立案",
        "penalised": "给予行政处罚",
        "no_penalty": "不予行政处罚",
        "not_established": "违法事实不成立",
        "filing_cancelled": "撤销立案",
    },
    # a case's status (engine vocabulary, DOMAIN.md §2.4), on the dossier cover when no outcome is recorded
    "case_status": {status.value: status.label for status in CaseStatus},
    # the dossier's retention period (case_archive.schema.json `retention`, when a machine value is given)
    "retention": {"permanent": "永久", "long_term": "长期", "short_term": "短期"},
}


def label(vocabulary: str, value: str) -> str:
    """The Chinese label of `value`. Issuing refuses a value outside the vocabulary, so only a
    snapshot stored before its field became an enum can hold one; that is printed as it was stored."""
    return LABELS[vocabulary].get(value, value)
