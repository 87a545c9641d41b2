"""The file checks of pre-commit-hooks, for an offline `repo: local` pre-commit.

pre-commit would fetch github.com/pre-commit/pre-commit-hooks into its own
environment; these machines cannot reach GitHub, so the six checks the style
guide asks for are kept here, standard library only, with the same behaviour:
fixers rewrite the file and fail, so the commit is retried with the fix staged.

    python scripts/pre_commit_checks.py <check> FILE...
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

LARGE_FILE_KB = 500
CONFLICT_MARKERS = (b"<<<<<<< ", b"=======\n", b"=======\r\n", b">>>>>>> ")
PRIVATE_KEY_MARKERS = (
    b"BEGIN RSA PRIVATE KEY",
    b"BEGIN DSA PRIVATE KEY",
    b"BEGIN EC PRIVATE KEY",
    b"BEGIN OPENSSH PRIVATE KEY",
    b"BEGIN PRIVATE KEY",
    b"BEGIN ENCRYPTED PRIVATE KEY",
    b"PuTTY-User-Key-File-2",
    b"BEGIN SSH2 ENCRYPTED PRIVATE KEY",
    b"BEGIN PGP PRIVATE KEY BLOCK",
)
DEBUGGERS = {"pdb", "ipdb", "pudb", "pydevd", "pydevd_pycharm", "debugpy", "rpdb"}


def trailing_whitespace(path: Path) -> bool:
    """Strip spaces and tabs at line ends (Markdown's two-space break is kept)."""
    data = path.read_bytes()
    keep_break = path.suffix in {".md", ".markdown"}
    lines = data.splitlines(keepends=True)
    fixed = []
    for line in lines:
        body = line.rstrip(b"\r\n")
        ending = line[len(body) :]
        stripped = body.rstrip(b" \t")
        if keep_break and body.endswith(b"  ") and stripped:
            stripped += b"  "
        fixed.append(stripped + ending)
    result = b"".join(fixed)
    if result != data:
        path.write_bytes(result)
        return False
    return True


def end_of_file(path: Path) -> bool:
    """A non-empty file ends with exactly one newline."""
    data = path.read_bytes()
    if not data.strip():
        return True
    result = data.rstrip(b"\r\n") + b"\n"
    if result != data:
        path.write_bytes(result)
        return False
    return True


def merge_conflict(path: Path) -> bool:
    lines = path.read_bytes().splitlines(keepends=True)
    return not any(line.startswith(CONFLICT_MARKERS) for line in lines)


def private_key(path: Path) -> bool:
    data = path.read_bytes()
    return not any(marker in data for marker in PRIVATE_KEY_MARKERS)


def debug_statements(path: Path) -> bool:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names = {(node.module or "").split(".")[0]}
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "breakpoint"
        ):
            names = {"breakpoint"}
        else:
            continue
        if names & (DEBUGGERS | {"breakpoint"}):
            print(f"{path}:{node.lineno}: debugger left in")  # noqa: T201
            return False
    return True


def _added_files() -> set[str]:
    """Files staged as new: only those count as added (as pre-commit-hooks)."""
    result = subprocess.run(
        ["git", "diff", "--staged", "--name-only", "--diff-filter=A"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.splitlines())


CHECKS = {
    "trailing-whitespace": trailing_whitespace,
    "end-of-file-fixer": end_of_file,
    "check-merge-conflict": merge_conflict,
    "detect-private-key": private_key,
    "debug-statements": debug_statements,
}


def main(argv: list[str]) -> int:
    check, files = argv[0], [Path(name) for name in argv[1:]]
    if check == "check-added-large-files":
        added = _added_files()
        large = [
            f"{path} ({path.stat().st_size // 1024} KB)"
            for path in files
            if str(path) in added and path.stat().st_size > LARGE_FILE_KB * 1024
        ]
        for line in large:
            print(f"{line} exceeds {LARGE_FILE_KB} KB")  # noqa: T201
        return 1 if large else 0
    function = CHECKS[check]
    failed = [path for path in files if not function(path)]
    for path in failed:
        print(f"{check}: {path}")  # noqa: T201
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
