"""The wheel's build hook: compiles the message catalogs (``.po`` → ``.mo``) into it.

The catalogs' source (``src/interessent/locale/*/LC_MESSAGES/*.po``) is in the
repository; a wheel carries them compiled, so an installed interessent reads them with
the standard library's gettext alone. An editable install compiles them on first use
instead (``interessent.i18n``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("src/interessent/locale")


class CatalogBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        self._compiled = Path(tempfile.mkdtemp(prefix="interessent-mo-"))
        for po in sorted((Path(self.root) / LOCALE).glob("*/LC_MESSAGES/*.po")):
            inside = po.relative_to(Path(self.root) / LOCALE).with_suffix(".mo")
            mo = self._compiled / inside
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source)
            if catalog.fuzzy:
                raise ValueError(f"{po}: the catalog is marked fuzzy; review it first")
            with mo.open("wb") as out:
                write_mo(out, catalog)
            build_data["force_include"][str(mo)] = f"interessent/locale/{inside.as_posix()}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        compiled = getattr(self, "_compiled", None)
        if compiled is not None:
            shutil.rmtree(compiled, ignore_errors=True)
