"""Run a benchmark written as a pytest test, for Home Assistant's test harness."""

import os
from pathlib import Path
import subprocess
import sys


def run_under_pytest(path: str, settings: dict[str, int]) -> int:
    """Run the benchmark file in a fresh pytest; `settings` reach it as IP_PHONE_BENCH_* variables.

    A fresh process: the harness must load before Home Assistant does.
    """
    here = Path(path)
    command = [sys.executable, "-m", "pytest", str(here), "-q", "-p", "no:cacheprovider"]
    environment = {
        **os.environ,
        **{f"IP_PHONE_BENCH_{name.upper()}": str(value) for name, value in settings.items()},
    }
    return subprocess.run(command, env=environment, cwd=here.parents[1], check=False).returncode  # noqa: S603
