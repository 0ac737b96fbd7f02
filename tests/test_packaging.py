"""The wheel ships schemas and templates, and works when installed (not editable)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from core_support import EXAMPLES, PROJECT


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update({"PIP_DISABLE_PIP_VERSION_CHECK": "1", "NO_COLOR": "1"})
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_wheel_ships_data_and_runs_from_a_fresh_install(tmp_path: Path) -> None:
    # Build from a copy, so the build leaves nothing behind in the checkout.
    source = tmp_path / "source"
    shutil.copytree(
        PROJECT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".*_cache",
            "__pycache__",
            "tests",
            "benchmarks",
            "*.egg-info",
        ),
    )
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--wheel-dir", tmp_path / "dist", source, cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (tmp_path / "dist").glob("pmctl-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in (PROJECT / "schemas").glob("*.json"):
        assert f"pmctl/_data/schemas/{schema.name}" in names
    for template in (PROJECT / "templates").iterdir():
        assert f"pmctl/_data/templates/{template.name}" in names
    assert "pmctl/cli.py" in names

    # Dependencies come from this interpreter's environment (a venv's own
    # packages are not the "system" ones a new venv may share), pmctl itself
    # only from the wheel, which lands ahead of them on the path.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin/python"
    site = run(
        python,
        "-c",
        "import sysconfig; print(sysconfig.get_path('purelib'))",
        cwd=tmp_path,
    )
    assert site.returncode == 0 and site.stdout.strip(), site.stderr
    here = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(site.stdout.strip(), "dependencies.pth").write_text(
        "\n".join(sorted(here)) + "\n"
    )
    installed = run(
        python, "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    where = run(
        python, "-c",
        "import pmctl.resources as r; print(r.__file__); print(r.data_dir('schemas'))",
        cwd=tmp_path,
    )  # fmt: skip
    module, schemas = where.stdout.split()
    assert Path(module).is_relative_to(env_dir), where.stdout
    assert Path(schemas) == Path(module).parent / "_data/schemas"

    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES, examples)
    validated = run(env_dir / "bin/pmctl", "validate", "--root", examples, cwd=tmp_path)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "records checked, no problems" in validated.stdout

    created = run(
        env_dir / "bin/pmctl", "new", "incident", "--root", examples, "--title", "x",
        "--severity", "SEV3", "--commander", "Ada", "--team", "payments",
        "--started-at", "2026-12-01T10:00:00Z", cwd=tmp_path,
    )  # fmt: skip
    assert created.returncode == 0, created.stdout + created.stderr
    assert created.stdout.splitlines()[-1].startswith("incidents/2026/INC-2026-")
