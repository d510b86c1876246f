"""skillkit.packaged: the packaged profiles and templates, read from the folder or, zipped, through importlib.resources."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from skillkit.packaged import package_folder
from skillkit.profiles import load_profile, profile_names


def test_an_installed_package_is_its_folder_on_disk() -> None:
    folder = package_folder("skillkit.profiles")
    assert isinstance(folder, Path) and folder.is_dir()
    assert profile_names() == ["library", "recommended", "spec"]
    assert load_profile("spec").name == "spec"


def test_a_zipped_package_is_read_through_importlib_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zpkg_skillkit_test/__init__.py", "")
        zipped.writestr("zpkg_skillkit_test/data.toml", "name = 'zipped'\n")
    monkeypatch.syspath_prepend(str(archive))
    try:
        folder = package_folder("zpkg_skillkit_test")
        assert not isinstance(folder, Path)
        assert sorted(item.name for item in folder.iterdir()) == ["__init__.py", "data.toml"]
        assert folder.joinpath("data.toml").read_text(encoding="utf-8") == "name = 'zipped'\n"
    finally:
        sys.modules.pop("zpkg_skillkit_test", None)
