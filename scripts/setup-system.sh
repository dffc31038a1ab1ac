#!/usr/bin/env bash
# Install the system pieces the test suite needs (Debian 12, as root). Idempotent and fast when
# everything is already in place:
#   - PostgreSQL, LibreOffice Writer (headless) + python3-uno, CJK and metric-compatible fonts,
#     poppler-utils, Chromium (Debian packages);
#   - FandolFang/FandolKai (仿宋/楷体) extracted from texlive-lang-chinese without installing TeX,
#     plus a fontconfig file mapping the Chinese official-document font names onto installed faces;
#   - unoserver in /opt/zhifa-uno, a venv of Debian's /usr/bin/python3 (the one that has python3-uno).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "setup-system.sh: must run as root" >&2
    exit 1
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DEBIAN_FRONTEND=noninteractive

packages=(
    postgresql
    libreoffice-writer-nogui
    python3-uno
    python3-venv
    fonts-noto-cjk
    fonts-liberation2
    fontconfig
    poppler-utils
    chromium
)
font_dir=/usr/local/share/fonts/zhifa
fontconfig_file=/etc/fonts/conf.d/65-zhifa-chinese-official.conf
uno_venv=/opt/zhifa-uno

log() { echo "[setup-system] $*"; }

apt_updated=0
apt_update_once() {
    if [ "$apt_updated" -eq 0 ]; then
        log "apt-get update"
        apt-get update -qq
        apt_updated=1
    fi
}

install_packages() {
    local missing=() p
    for p in "${packages[@]}"; do
        # (dpkg -s alone also succeeds for a removed package whose config files remain)
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        log "Debian packages present"
        return
    fi
    apt_update_once
    log "apt-get install ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_fandol_fonts() {
    if [ -f "$font_dir/FandolFang-Regular.otf" ] && [ -f "$font_dir/FandolKai-Regular.otf" ]; then
        log "Fandol fonts present"
        return
    fi
    apt_update_once
    local work
    work="$(mktemp -d)"
    chown _apt: "$work" 2>/dev/null || true  # lets apt download without its sandbox warning
    log "extracting FandolFang/FandolKai from texlive-lang-chinese"
    (cd "$work" && apt-get download -qq texlive-lang-chinese)
    mkdir -p "$work/root" "$font_dir"
    dpkg-deb --fsys-tarfile "$work"/texlive-lang-chinese_*.deb \
        | tar -x -C "$work/root" --wildcards '*/FandolFang-*.otf' '*/FandolKai-*.otf'
    find "$work/root" -name 'Fandol*.otf' -exec install -m 0644 {} "$font_dir/" \;
    rm -rf "$work"
}

install_fontconfig_aliases() {
    local wanted
    wanted="$(cat "$here/fontconfig/65-zhifa-chinese-official.conf")"
    if [ -f "$fontconfig_file" ] && [ "$(cat "$fontconfig_file")" = "$wanted" ] \
        && fc-match -f '%{family}\n' '仿宋_GB2312' | grep -q FandolFang; then
        log "fontconfig aliases present"
        return
    fi
    log "installing fontconfig aliases and refreshing the font cache"
    install -m 0644 "$here/fontconfig/65-zhifa-chinese-official.conf" "$fontconfig_file"
    fc-cache -f >/dev/null
}

check_font_aliases() {
    local name expected actual
    while read -r name expected; do
        actual="$(fc-match -f '%{family}' "$name")"
        case "$actual" in
            *"$expected"*) ;;
            *) log "font alias $name resolves to '$actual', expected $expected" >&2; exit 1 ;;
        esac
    done <<'EOF'
仿宋 FandolFang
仿宋_GB2312 FandolFang
FangSong FandolFang
FangSong_GB2312 FandolFang
楷体 FandolKai
KaiTi FandolKai
宋体 Noto Serif CJK SC
SimSun Noto Serif CJK SC
黑体 Noto Sans CJK SC
SimHei Noto Sans CJK SC
EOF
    log "font aliases resolve as expected"
}

install_unoserver() {
    if [ -x "$uno_venv/bin/unoserver" ] && "$uno_venv/bin/python" -c 'import uno, unoserver' 2>/dev/null; then
        log "unoserver present in $uno_venv"
        return
    fi
    log "installing unoserver into $uno_venv (Debian python3 with python3-uno)"
    rm -rf "$uno_venv"
    /usr/bin/python3 -m venv --system-site-packages "$uno_venv"
    "$uno_venv/bin/pip" install -q unoserver
    "$uno_venv/bin/python" -c 'import uno, unoserver'
    check_pdf_conversion
}

# Writes a minimal .docx whose text is set in 仿宋_GB2312, converts it through a throwaway unoserver
# and checks the PDF's text and that FandolFang was embedded.
check_pdf_conversion() {
    local work port pid ok=0
    work="$(mktemp -d)"
    /usr/bin/python3 - "$work/check.docx" <<'PY'
import sys, zipfile
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/></w:rPr><w:t>行政处罚决定书</w:t></w:r></w:p></w:body></w:document>',
}
with zipfile.ZipFile(sys.argv[1], "w") as docx:
    for name, xml in parts.items():
        docx.writestr(name, xml)
PY
    port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    HOME="$work" "$uno_venv/bin/unoserver" --interface 127.0.0.1 --port "$port" --uno-port "$((port + 1))" \
        >"$work/unoserver.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do
        if "$uno_venv/bin/unoconvert" --host 127.0.0.1 --port "$port" --convert-to pdf \
            "$work/check.docx" "$work/check.pdf" >/dev/null 2>&1; then
            ok=1
            break
        fi
        sleep 0.5
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ "$ok" -ne 1 ] || ! pdftotext "$work/check.pdf" - | grep -q 行政处罚决定书 \
        || ! pdffonts "$work/check.pdf" | grep -q FandolFang; then
        log "docx -> PDF through unoserver failed; log: $work/unoserver.log" >&2
        exit 1
    fi
    rm -rf "$work"
    log "docx -> PDF through unoserver works (FandolFang embedded)"
}

install_packages
install_fandol_fonts
install_fontconfig_aliases
check_font_aliases
install_unoserver
log "done"
