"""The Osen example's data files are what its generator writes, byte for byte.

Every change to ``examples/osen/data`` goes through ``tools/make_osen_example.py``: edit
the script, run it, commit both. This test fails when the files and the script disagree.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "tools" / "make_osen_example.py"
DATA = ROOT / "examples" / "osen" / "data"


def test_the_generator_reproduces_every_file_of_the_osen_data(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "PROBLEM" not in result.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in DATA.iterdir())
    for name in written:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), (
            f"examples/osen/data/{name} differs from what {GENERATOR.name} writes")
