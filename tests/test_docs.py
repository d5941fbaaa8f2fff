"""The docs cannot drift from the code they describe."""

import re
from pathlib import Path

import attrs
import pytest

from interessent import plan as plan_module
from interessent.model import RelationshipKind

DOCS = Path(__file__).resolve().parents[1] / "docs"

# Each documented table: the attrs class whose fields it must list.
TABLES = {
    "[programme]": plan_module.Programme,
    "[[phases]]": plan_module.Phase,
    "[[groups]]": plan_module.TargetGroup,
    "selector": plan_module.Members,
    "[[channels]]": plan_module.Channel,
    "[[roles]]": plan_module.Role,
    "[[topics]]": plan_module.Topic,
    "[[messages]]": plan_module.KeyMessage,
    "[information]": plan_module.Information,
    "[[information.rules]]": plan_module.SpeakingRule,
    "[[commitments]]": plan_module.Commitment,
    "[coverage]": plan_module.CoverageWeights,
    "[leaders]": plan_module.LeaderSettings,
    "[due]": plan_module.DueSettings,
    "[report]": plan_module.ReportSettings,
    "[capture]": plan_module.CaptureSettings,
    "[[interaction_kinds]]": plan_module.InteractionKind,
    "[[relationship_kinds]]": RelationshipKind,
    "requires": plan_module.RequiredTie,
}


def test_every_plan_key_is_documented() -> None:
    text = (DOCS / "plan.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)`", text, flags=re.MULTILINE))
    documented |= set(re.findall(r"^\| \| `([a-z_]+)`", text, flags=re.MULTILINE))
    missing = {
        f"{table}.{f.name}"
        for table, cls in TABLES.items()
        for f in attrs.fields(cls)
        if f.name not in documented and f.name != "source"
    }
    top = {f.name for f in attrs.fields(plan_module.Plan)} - {"source"}
    missing |= {f"plan.{name}" for name in top if name not in text}
    assert not missing, f"undocumented plan keys: {sorted(missing)}"


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


DOC_PAGES = sorted(p for p in DOCS.glob("*.md") if _python_blocks(p))


@pytest.mark.parametrize("page", DOC_PAGES, ids=[p.name for p in DOC_PAGES])
def test_python_examples_in_the_docs_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ```python block runs, in order, beside a fresh Osen workspace `osen-demo`."""
    from interessent import init_workspace

    init_workspace(tmp_path / "osen-demo", example="osen").close()
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs_example"}
    for block in _python_blocks(page):
        exec(compile(block, str(page), "exec"), namespace)


def test_the_words_of_concerns_tasks_stance_and_media_are_the_catalogs() -> None:
    """docs/languages.md's table of the new values says what the catalogs say."""
    from interessent import i18n

    text = (DOCS / "languages.md").read_text(encoding="utf-8")
    section = text.split("## Words of concerns, tasks, stance and the media")[1].split("\n## ")[0]
    rows = re.findall(r"^\| (\w[\w ]*?) `(\w+)` \| (.+?) \| (.+?) \| (.+?) \|$", section,
                      flags=re.MULTILINE)
    assert len(rows) == 7

    def word(what: str, value: str, language: str) -> str:
        with i18n.using(language):
            if what == "stance":
                return i18n.stance_word(value, language)
            if what == "kind":
                return i18n.pgettext("kind", value)
            if what == "coverage":
                return i18n.pgettext("column", value)
            return i18n.gettext(value)

    for what, value, *words in rows:
        assert words == [word(what.split()[0], value, lang) for lang in ("nb", "nn", "en")]
