"""Record ids already taken on other branches, so `new` never reuses one."""

from __future__ import annotations

from pathlib import Path

from pmctl.ids import id_in_path


def ids_on_branches(root: Path) -> set[str]:
    """Ids in file names on every local and remote-tracking branch.

    Empty outside a git repository: there is nothing else to collide with.
    """
    try:
        import git
    except ImportError:  # git executable missing: GitPython refuses to import
        return set()

    try:
        repo = git.Repo(root, search_parent_directories=True)
        refs = repo.git.for_each_ref(
            "--format=%(refname)", "refs/heads", "refs/remotes"
        ).split()
        names: set[str] = set()
        for ref in refs:
            names.update(repo.git.ls_tree("-r", "--name-only", ref).splitlines())
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError):
        return set()

    return {found for name in names if (found := id_in_path(name))}
