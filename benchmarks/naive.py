"""The validator a user writes in twenty lines, as the benchmark's baseline.

    python benchmarks/naive.py ROOT [--sample K]

python-frontmatter reads each record, `jsonschema.validate()` checks it against
pmctl's schema for its kind, and GitPython finds the file's last commit. It
does the whole job, the slow way; `--sample K` takes only K records, evenly
spaced, so that run.py can time a sample and extrapolate.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import frontmatter
import git
import jsonschema
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"

parser = argparse.ArgumentParser()
parser.add_argument("root", type=Path)
parser.add_argument("--sample", type=int, help="check only this many records")
args = parser.parse_args()

schemas = {p.name.split(".")[0]: json.loads(p.read_text()) for p in SCHEMAS.iterdir()}
registry = Registry().with_resources(
    (s["$id"], Resource.from_contents(s)) for s in schemas.values()
)
repo = git.Repo(args.root)
files = sorted(args.root.glob("[!.]*/**/*.md"))
if args.sample is not None:
    files = files[:: max(1, len(files) // max(1, args.sample))][: args.sample]

problems = 0
for path in files:
    name = path.relative_to(args.root).as_posix()
    try:
        data = frontmatter.load(path).metadata
        jsonschema.validate(data, schemas[str(data.get("kind"))], registry=registry)
    except Exception as error:  # a user's script reports whatever goes wrong
        problems += 1
        print(f"{name}: {str(error).splitlines()[0]}")
    last = next(repo.iter_commits(paths=name, max_count=1), None)
    print(f"{name}: last changed {last.committed_datetime if last else 'never'}")
print(f"checked {len(files)} records, {problems} with problems")
raise SystemExit(1 if problems else 0)
