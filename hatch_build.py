"""Build pmctl's C scans (`src/pmctl/_speedups.c`) when a wheel is built.

Where no C compiler is found, or compiling fails, the wheel is pure Python
and pmctl runs the scans' Python twins (`src/pmctl/speedups.py`): slower,
never different. An editable install puts the module next to the sources it
imports from, so reinstall after changing the C file.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "src/pmctl/_speedups.c"


class SpeedupsBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return

        name = f"_speedups{sysconfig.get_config_var('EXT_SUFFIX') or '.so'}"
        self._scratch = Path(tempfile.mkdtemp(prefix="pmctl-speedups-"))
        target = (
            Path(self.root, "src/pmctl", name)
            if version == "editable"
            else self._scratch / name
        )
        try:
            compile_module(Path(self.root, SOURCE), target, self._scratch)
        except (OSError, subprocess.CalledProcessError) as error:
            # A module an earlier editable install built from another source
            # would otherwise still be imported, and could find otherwise.
            target.unlink(missing_ok=True)
            reason = getattr(error, "stderr", None) or error
            self.app.display_warning(
                f"pmctl: the C scans were not built, pmctl will run their "
                f"Python twins instead: {reason}"
            )
            return

        if version != "editable":
            build_data["force_include"][str(target)] = f"pmctl/{name}"
            build_data["pure_python"] = False
            build_data["infer_tag"] = True

    def finalize(
        self, version: str, build_data: dict[str, Any], artifact_path: str
    ) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def compile_module(source: Path, target: Path, scratch: Path) -> None:
    """Compile and link `source` into the extension module `target` with the
    compiler and flags this Python was built with; `CC` and `LDSHARED` in the
    environment take the place of its own, as they do for setuptools."""
    compiler = os.environ.get("CC") or sysconfig.get_config_var("CC")
    linker = os.environ.get("LDSHARED") or sysconfig.get_config_var("LDSHARED")
    if not compiler or not linker:
        raise OSError("this Python names no C compiler (CC, LDSHARED)")

    flags = shlex.split(sysconfig.get_config_var("CFLAGS") or "")
    flags += shlex.split(sysconfig.get_config_var("CCSHARED") or "")
    include = sysconfig.get_paths()["include"]
    objects = scratch / "_speedups.o"
    compile_only = [f"-I{include}", "-c", str(source), "-o", str(objects)]
    run([*shlex.split(compiler), *flags, *compile_only])
    # Linked beside the target, then renamed: a pmctl that is running and
    # imports the module never finds a half-written file.
    linked = target.with_name(f"{target.name}.part")
    run([*shlex.split(linker), str(objects), "-o", str(linked)])
    os.replace(linked, target)


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)
