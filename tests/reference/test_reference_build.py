"""The committed tables are exactly what ``tools/build_reference.py`` makes from ../shared."""

from __future__ import annotations

import importlib.util
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

pytestmark = pytest.mark.skipif(
    not SHARED_DATA.is_dir(),
    reason=(
        f"{SHARED_DATA} is absent (e.g. a plain clone): nothing to compare the committed "
        "reference tables with; all other reference tests use the committed tables only"
    ),
)


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    path = REPO_ROOT / "tools" / "build_reference.py"
    spec = importlib.util.spec_from_file_location("build_reference_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up in sys.modules while it is being executed.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    return module


def test_committed_tables_match_the_shared_sources(builder: ModuleType) -> None:
    result = builder.build_tables(SHARED_DATA)
    assert set(result.files) == {"establishments.csv", "cpam.csv", "cnpe_poles.csv", "SOURCES.md"}
    packaged = files("cnpe_flow.reference").joinpath("data")
    for name, expected in result.files.items():
        committed = packaged.joinpath(name).read_text(encoding="utf-8")
        assert committed == expected, (
            f"cnpe_flow/reference/data/{name} is out of date: run "
            "`python tools/build_reference.py ../shared/data`"
        )


def test_shared_sources_pass_the_cross_checks(builder: ModuleType) -> None:
    result = builder.build_tables(SHARED_DATA)
    assert not [p for p in result.problems if "outside its DISP" in p]
    assert not [p for p in result.problems if "differs from its DISP" in p]
    assert not [p for p in result.problems if "not in seed" in p]
