"""Numbers name one thing: no case number (any kind, any agency) is ever also a document number
(any series, any issuer), and no two series share a number, whatever the years and sequences."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from documents.catalogue import get_catalogue
from documents.document_numbers import format_number, resolve_issuer
from engine.case_numbers import format_case_number
from engine.settings import get_settings

# Suichuan's agencies as seeded (code, 机关代字) and a township added by an administrator.
AGENCIES = [("suichuan-em", "遂"), ("quanjiang", "遂泉"), ("yulin", "遂雩"), ("park", "遂园"), ("caolin", "遂草")]


def numberers():
    """(series key, number(year, seq)) for every case kind of every agency and every document series."""
    config = get_catalogue().numbering
    for code, short in AGENCIES:
        for kind in get_settings().case_number_patterns:
            yield ("case", code, kind), lambda year, seq, kind=kind, short=short: format_case_number(kind, short, year, seq)
        issuer = resolve_issuer(config, code)
        for document in get_catalogue().documents:
            if document.code is not None:
                yield ("document", issuer.code, issuer.sub_series, document.code), (
                    lambda year, seq, issuer=issuer, doc_code=document.code: format_number(
                        config, issuer, doc_code, year=year, seq=seq, case_number=None))


YEARS = st.integers(min_value=2000, max_value=2100)
SEQS = st.integers(min_value=1, max_value=10**6)


@settings(max_examples=300, deadline=None)
@given(first=st.tuples(YEARS, SEQS), second=st.one_of(st.just(None), st.tuples(YEARS, SEQS)))
def test_no_number_names_two_things(first, second):
    owners: dict[str, tuple] = {}
    for key, number in numberers():
        for year, seq in {first, second or first}:
            text = number(year, seq)
            owner = owners.setdefault(text, (key, year, seq))
            assert owner == (key, year, seq), f"{text} is both {owner} and {(key, year, seq)}"
