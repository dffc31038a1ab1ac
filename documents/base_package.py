"""A minimal .docx package every document starts from: A4 page, 仿宋 body, page-number footer.

python-docx's default template carries ~800 KB of styles; this one is a few KB, which is what
makes rendering fast enough (≥100 documents per second on one core).
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

# Every member gets this timestamp so the same snapshot gives the same bytes.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)

BODY_FONT = "仿宋"  # FangSong; mapped to FandolFang by the project's fontconfig
# GB/T 9704 7.3.1: the title in 小标宋, set bold. The package's font table names the closest face for a reader
# without it (Word reads w:altName); on this machine `title_font()` names it only where fontconfig resolves it.
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "Noto Serif CJK SC"
BODY_FALLBACK = "FandolFang"
LATIN_FONT = "Times New Roman"
BODY_SIZE_HALF_POINTS = 32  # 三号, 16 pt

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""

_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
</Relationships>"""

# A4 (11906 x 16838 twips); margins per GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
_DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {_W} {_R}><w:body>
<w:sectPr><w:footerReference w:type="default" r:id="rId3"/>
<w:pgSz w:w="11906" w:h="16838"/>
<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/>
</w:sectPr></w:body></w:document>"""

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {_W}>
<w:docDefaults>
<w:rPrDefault><w:rPr>
<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{LATIN_FONT}"/>
<w:sz w:val="{BODY_SIZE_HALF_POINTS}"/><w:szCs w:val="{BODY_SIZE_HALF_POINTS}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>
</w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="560" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{LATIN_FONT}"/></w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>
<w:pPr><w:spacing w:line="400" w:lineRule="atLeast"/><w:jc w:val="left"/></w:pPr>
<w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>
<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>
<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>
<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"""

_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {_W}><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
</w:settings>"""


_FONT_TABLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts {_W}>
<w:font w:name="{BODY_FONT}"><w:altName w:val="{BODY_FALLBACK}"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="{TITLE_FONT}"><w:altName w:val="{TITLE_FALLBACK}"/><w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>
<w:font w:name="{LATIN_FONT}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>
</w:fonts>"""


def _field(instruction: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


_SMALL = '<w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>'
_FOOTER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {_W}><w:p><w:pPr><w:jc w:val="center"/>{_SMALL}</w:pPr>'
    f"<w:r>{_SMALL}<w:t>第</w:t></w:r>{_field('PAGE')}<w:r>{_SMALL}<w:t>页 共</w:t></w:r>"
    f"{_field('NUMPAGES')}<w:r>{_SMALL}<w:t>页</w:t></w:r></w:p></w:ftr>"
)

_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title></dc:title><dc:creator>zhifa</dc:creator><cp:revision>1</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>
</cp:coreProperties>"""

_MEMBERS = {
    "[Content_Types].xml": _CONTENT_TYPES,
    "_rels/.rels": _PACKAGE_RELS,
    "word/document.xml": _DOCUMENT,
    "word/_rels/document.xml.rels": _DOCUMENT_RELS,
    "word/styles.xml": _STYLES,
    "word/settings.xml": _SETTINGS,
    "word/footer1.xml": _FOOTER,
    "word/fontTable.xml": _FONT_TABLE,
    "docProps/core.xml": _CORE,
}


def write_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A zip whose bytes depend only on the members (fixed timestamps, fixed order)."""
    buffer = BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        for name, blob in members:
            info = ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = ZIP_DEFLATED
            archive.writestr(info, blob)
    return buffer.getvalue()


@lru_cache
def base_package() -> bytes:
    return write_zip([(name, xml.encode("utf-8")) for name, xml in _MEMBERS.items()])


@lru_cache
def title_font() -> str:
    """方正小标宋简体 where this machine renders it (installed, or mapped by scripts/fontconfig onto Noto Serif CJK SC),
    else Noto Serif CJK SC itself, so LibreOffice never sets the title in a sans fallback."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:  # no fontconfig: the font table's altName is the fallback
        return TITLE_FONT
    try:
        found = subprocess.run([fc_match, "-f", "%{family}", TITLE_FONT], capture_output=True, text=True, timeout=10,
                               check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return TITLE_FALLBACK
    return TITLE_FONT if "小标宋" in found or TITLE_FALLBACK in found else TITLE_FALLBACK
