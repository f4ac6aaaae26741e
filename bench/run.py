"""Run every bench/bench_*.py script; each prints `name: value unit` lines."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
status = 0
for script in sorted(here.glob("bench_*.py")):
    result = subprocess.run([sys.executable, str(script)], cwd=here.parent)
    status = status or result.returncode
sys.exit(status)
