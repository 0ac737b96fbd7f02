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

import pytest

from core_support import EXAMPLES, PROJECT, c_compiler


def run(*args: str | Path, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update({"PIP_DISABLE_PIP_VERSION_CHECK": "1", "NO_COLOR": "1", **extra})
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def build_wheel(tmp_path: Path, **env: str) -> tuple[Path, str]:
    """A wheel built from a copy of the project (so the build leaves nothing
    behind in the checkout), and what the build printed."""
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
            "*.so",
        ),
    )
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--verbose", "--wheel-dir", tmp_path / "dist", source, cwd=tmp_path, **env,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (tmp_path / "dist").glob("pmctl-*.whl")
    return wheel, built.stdout + built.stderr


def test_wheel_ships_data_and_runs_from_a_fresh_install(tmp_path: Path) -> None:
    wheel, _ = build_wheel(tmp_path)

    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in (PROJECT / "schemas").glob("*.json"):
        assert f"pmctl/_data/schemas/{schema.name}" in names
    for template in (PROJECT / "templates").iterdir():
        assert f"pmctl/_data/templates/{template.name}" in names
    assert "pmctl/cli.py" in names
    # The C scans, built for this Python, where it has a compiler.
    if c_compiler() is not None:
        assert f"pmctl/_speedups{sysconfig.get_config_var('EXT_SUFFIX')}" in names
        assert not wheel.name.endswith("-none-any.whl")

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


def test_without_a_working_compiler_the_wheel_is_pure_python(tmp_path: Path) -> None:
    wheel, printed = build_wheel(tmp_path, CC="false")

    assert wheel.name.endswith("-py3-none-any.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert not [name for name in names if "_speedups" in name]
    assert "pmctl/speedups.py" in names
    assert "the C scans were not built" in printed


class Warnings:
    """What a build hook shows its user, kept."""

    def __init__(self) -> None:
        self.shown: list[str] = []

    def display_warning(self, message: str) -> None:
        self.shown.append(message)


def test_a_failed_editable_build_leaves_no_older_module_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(PROJECT))
    from hatch_build import SOURCE, SpeedupsBuildHook

    source = tmp_path / SOURCE
    source.parent.mkdir(parents=True)
    shutil.copyfile(PROJECT / SOURCE, source)
    stale = source.with_name(f"_speedups{sysconfig.get_config_var('EXT_SUFFIX')}")
    stale.write_bytes(b"built from an older _speedups.c")
    monkeypatch.setenv("CC", "false")
    warnings = Warnings()
    hook = SpeedupsBuildHook(
        str(tmp_path), {}, None, None, str(tmp_path / "dist"), "wheel", warnings
    )

    hook.initialize("editable", {"force_include": {}})
    hook.finalize("editable", {}, "")

    assert not stale.exists(), "the editable install would import the old module"
    assert ["the C scans were not built" in shown for shown in warnings.shown] == [True]
