"""Check that the lock files are in step with pyproject.toml (`make lock-check`, run by CI).

Offline: it reads pyproject.toml and requirements/*.txt only. It fails when
- a package that pyproject.toml declares (runtime, or an extra that the lock covers) is missing
  from the lock, or pinned there to a version outside pyproject.toml's range;
- requirements/run.txt pins a package to another version than requirements/dev.txt, so that
  production would run something other than what the tests ran.
The fix is `make lock`. Transitive completeness is checked by pip itself: the locks carry hashes,
and in hash-checking mode pip refuses to install a dependency that the lock does not pin.
"""

import re
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version
except ImportError:  # a fresh venv has no packaging yet, but pip carries one
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
    from pip._vendor.packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
# Each lock file and the extras of pyproject.toml that it covers (see `make lock`).
LOCKS = {"requirements/run.txt": [], "requirements/dev.txt": ["dev"]}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def declared(project, extras):
    """The runtime requirements plus those of the given extras, self-references expanded."""
    name = canonicalize_name(project["name"])
    optional = project.get("optional-dependencies", {})
    reqs = [Requirement(r) for r in project.get("dependencies", [])]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        if extra not in optional:
            raise SystemExit(f"pyproject.toml has no extra {extra!r}")
        for text in optional[extra]:
            req = Requirement(text)
            if canonicalize_name(req.name) == name:  # e.g. cluster-match[test,browser,load]
                todo.extend(req.extras)
            else:
                reqs.append(req)
    return reqs


def pins(path):
    """{name: {version, ...}} of a lock file (a universal lock may pin a name per platform)."""
    result = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            result.setdefault(canonicalize_name(match[1]), set()).add(match[2])
    return result


def main():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    problems, locked = [], {}
    for lock, extras in LOCKS.items():
        path = ROOT / lock
        if not path.exists():
            problems.append(f"{lock} is missing")
            continue
        locked[lock] = pinned = pins(path)
        for req in declared(project, extras):
            versions = pinned.get(canonicalize_name(req.name))
            if not versions:
                problems.append(f"{lock}: {req} is declared in pyproject.toml but not locked")
                continue
            for version in sorted(versions):
                if not req.specifier.contains(Version(version), prereleases=True):
                    problems.append(f"{lock}: {req.name}=={version} is outside {req}")
    if len(locked) == len(LOCKS):
        run, dev = locked["requirements/run.txt"], locked["requirements/dev.txt"]
        for name in sorted(run):
            if run[name] != dev.get(name):
                problems.append(
                    f"requirements/run.txt pins {name} {sorted(run[name])}, "
                    f"requirements/dev.txt {sorted(dev.get(name, []))}"
                )
    if problems:
        print("The lock files are out of step with pyproject.toml:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print("Run `make lock` and commit requirements/.", file=sys.stderr)
        return 1
    print(f"lock ok: {', '.join(f'{lock} ({len(p)} pins)' for lock, p in locked.items())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
