"""The collected static files (``mash.lib.staticfiles``): every file, hashed or not, has a
Brotli and a gzip twin of its exact bytes, and collecting again compresses nothing that
is already right, but remakes a twin that is not."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.core.management import call_command
from django.test import override_settings
from whitenoise.compress import Compressor

SCRIPT = "\n".join(f"export const line{n} = 'the same words, line {n}';" for n in range(300))
STYLE = "body { background: url('dot.svg'); }\n" + "p { margin: 0 0 15px; }\n" * 200
PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n' * 20


@pytest.fixture
def collect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``collect()`` runs ``collectstatic`` as ``mash serve`` does, over three files of
    the hub's kinds, into a fresh ``STATIC_ROOT``; it returns the manifest's names and
    how many times each file was compressed."""
    source, root = tmp_path / "source", tmp_path / "static"
    source.mkdir()
    (source / "app.mjs").write_text(SCRIPT)
    (source / "app.css").write_text(STYLE)
    (source / "dot.svg").write_text(PICTURE)
    compressed: Counter[str] = Counter()
    compress = Compressor.compress

    def counting(self: Compressor, path: str) -> Any:
        compressed[Path(path).name] += 1
        return compress(self, path)

    monkeypatch.setattr(Compressor, "compress", counting)
    settings = override_settings(
        STATIC_ROOT=root,
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "mash.lib.staticfiles.HubStaticFilesStorage"},
        },
    )

    def run() -> tuple[dict[str, str], Counter[str]]:
        compressed.clear()
        with settings:
            call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
        return {name: str(root / hashed) for name, hashed in manifest.items()}, Counter(compressed)

    return run


def test_each_file_hashed_or_not_has_twins_of_its_exact_bytes(
    collect: Any,
) -> None:
    hashed, _ = collect()
    assert set(hashed) == {"app.mjs", "app.css", "dot.svg"}
    for name, path in hashed.items():
        # Script modules import each other by their unhashed names: both are served.
        for copy in (Path(path), Path(path).parent / name):
            data = copy.read_bytes()
            assert brotli.decompress(Path(f"{copy}.br").read_bytes()) == data, copy.name
            assert gzip.decompress(Path(f"{copy}.gz").read_bytes()) == data, copy.name
    # The stylesheet links the picture by its hashed name (the manifest's rewriting).
    assert Path(hashed["dot.svg"]).name in Path(hashed["app.css"]).read_text()


def test_collecting_again_compresses_nothing_already_right(collect: Any) -> None:
    _, first = collect()
    assert sum(first.values()) == 6  # the three files, hashed and not, once each
    _, again = collect()
    assert not again


def test_a_twin_of_an_unhashed_copy_that_no_longer_matches_is_made_again(
    collect: Any,
) -> None:
    hashed, _ = collect()
    unhashed = Path(hashed["app.css"]).parent / "app.css"
    stale = Path(f"{unhashed}.gz")
    stale.write_bytes(gzip.compress(b"body { color: red; }"))  # the file as it once was
    _, again = collect()
    assert again == Counter({"app.css": 1})
    assert gzip.decompress(stale.read_bytes()) == unhashed.read_bytes()


def test_a_twin_cut_short_or_missing_is_made_again(collect: Any) -> None:
    hashed, _ = collect()
    script, style = Path(hashed["app.mjs"]), Path(hashed["app.css"])
    cut = Path(f"{script}.br")
    cut.write_bytes(cut.read_bytes()[:20])  # a collection stopped mid-write
    Path(f"{style}.gz").unlink()
    _, again = collect()
    assert again == Counter({script.name: 1, style.name: 1})
    assert brotli.decompress(cut.read_bytes()) == script.read_bytes()
    assert gzip.decompress(Path(f"{style}.gz").read_bytes()) == style.read_bytes()
