"""The wheel carries every data file the application reads at run time (models, forms, templates, migrations ...)."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "bpmn", "documents", "api")


def test_the_wheel_contains_every_file_the_package_holds(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("zhifa-*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    on_disk = {path.relative_to(ROOT).as_posix() for package in PACKAGES for path in (ROOT / package).rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert on_disk - packed == set()
    # nothing but the four rooms is installed at the top level
    assert {name.split("/")[0] for name in packed if not name.startswith("zhifa-")} == set(PACKAGES)
