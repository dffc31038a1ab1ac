"""Chinese punctuation in Chinese text (GB/T 15834): what officers type and what templates compose.

- Half-width 「,」「;」「:」「!」「?」 next to a Chinese character become full-width (「，」「；」「：」「！」「？」), with
  the spaces around them dropped; a pair of half-width brackets becomes 「（）」 when it holds or follows Chinese
  text. Between digits or Latin letters nothing changes (「10:30」, 「1,000」, 「PQ-2」).
- A paragraph that ends with free text ends with a full stop: 「。」 is added when the text stops on a character.
- 「。。」 (an officer's own full stop before the template's) becomes one 「。」, and so does 「；。」 or 「，。」.
"""

from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL_WIDTH_PUNCTUATION = "\u3000-\u303f\uff00-\uffef"
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_MARK = re.compile(rf"(?<=[{CJK}{FULL_WIDTH_PUNCTUATION}])[ \t]*([,;:!?])[ \t]*|[ \t]*([,;:!?])[ \t]*(?=[{CJK}])")
_PAIR = re.compile(r"\(([^()\n]*)\)")
_HAS_CJK = re.compile(f"[{CJK}]")
_OPEN = re.compile(rf"(?<=[{CJK}])\(|\((?=[{CJK}])")
_CLOSE = re.compile(rf"(?<=[{CJK}])\)|\)(?=[{CJK}])")
_DOUBLED_STOP = re.compile(r"[，；、：,;]?。[。.]+|[，；、,;]。")
_SENTENCE_END = re.compile(r"[。！？；：…!?;:][”’」』）)》]?$")


def _pair(match: re.Match, text: str) -> str:
    before = text[match.start() - 1] if match.start() else ""
    if _HAS_CJK.search(match.group(1)) or _HAS_CJK.match(before):
        return f"（{match.group(1)}）"
    return match.group(0)


def full_width(text: str) -> str:
    """Half-width punctuation between or beside Chinese characters as full-width."""
    if not _HAS_CJK.search(text):
        return text
    text = _MARK.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)
    text = _PAIR.sub(lambda m: _pair(m, text), text)
    return _CLOSE.sub("）", _OPEN.sub("（", text))


def tidy(text: str) -> str:
    """A composed paragraph without doubled full stops."""
    return _DOUBLED_STOP.sub("。", text)


def end_sentence(text: str) -> str:
    """`text` closed with 「。」 unless it already ends with punctuation (or is empty)."""
    text = text.rstrip()
    if not text or _SENTENCE_END.search(text):
        return text
    return text + "。"
