from pathlib import Path

import pytest

from interessent import Workspace, WorkspaceError, init_workspace


@pytest.mark.sqlite_only(reason="checks the workspace's interessent.db file")
def test_init_makes_a_minimal_valid_workspace(tmp_path: Path) -> None:
    with init_workspace(tmp_path / "ws") as ws:
        assert ws.plan.groups[0].key == "befolkningen"
        assert (tmp_path / "ws" / "templates").is_dir()
        assert (tmp_path / "ws" / "interessent.db").is_file()
        assert ws.store.counts() == {"stakeholders": 0, "relationships": 0, "interactions": 0}


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "notes.txt").write_text("mine")
    with pytest.raises(WorkspaceError, match="not empty"):
        init_workspace(tmp_path / "ws")
    assert (tmp_path / "ws" / "notes.txt").read_text() == "mine"


def test_init_from_an_unknown_example(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no example named 'bergen'"):
        init_workspace(tmp_path / "ws", example="bergen")
    assert not (tmp_path / "ws").exists()


def test_a_broken_source_leaves_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "interessent.toml").write_text("[programme]\nname = 1\n")
    from interessent import PlanError

    with pytest.raises(PlanError):
        init_workspace(tmp_path / "ws", source=source)
    assert not (tmp_path / "ws").exists()


def test_find_walks_up_from_a_subfolder(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws").close()
    deep = tmp_path / "ws" / "templates" / "x"
    deep.mkdir(parents=True)
    with Workspace.find(deep) as ws:
        assert ws.root == (tmp_path / "ws").resolve()


def test_outside_a_workspace_says_so(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not inside an interessent workspace"):
        Workspace.find(tmp_path)


