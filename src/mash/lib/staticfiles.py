"""The hub's collected static files: WhiteNoise's storage (hashed names, a Brotli and a
gzip twin of each, served cached for a year), compressing only what the pages use, and
each file once.

``mash serve`` collects the static files every time it starts. WhiteNoise compresses
every file each time, the unhashed copy as well as the hashed one: on a two-core machine
that was 23 s of every start (44 s of CPU), even with nothing changed. Here:

- **Only hashed names are compressed.** The pages name every static file by its hashed
  name (``{% static %}`` through the manifest), so a browser is only sent those. The
  unhashed copies stay, served as they are, for anything that asks for one by name; a
  twin an earlier collection left beside one is removed, since its file may have
  changed since (WhiteNoise would serve the old twin for it).
- **A hashed file is compressed once.** Its name carries a hash of its content, so a
  twin made for that name before is the twin for it now. A twin is kept only if it
  decompresses to the file's exact bytes (a collection stopped part-way may have left
  a short one), and both twins must be there; otherwise the file is compressed again.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import brotli
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HubStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        hashed = set(self.hashed_files.values())
        wanted = []
        for name in paths:
            if name not in hashed:
                self._remove_twins(name)
            elif not self._twins_intact(name):
                wanted.append(name)
        yield from super().compress_files(wanted)

    def _remove_twins(self, name: str) -> None:
        for suffix in (".br", ".gz"):
            Path(f"{self.path(name)}{suffix}").unlink(missing_ok=True)

    def _twins_intact(self, name: str) -> bool:
        path = Path(self.path(name))
        brotli_twin, gzip_twin = Path(f"{path}.br"), Path(f"{path}.gz")
        if not (brotli_twin.is_file() and gzip_twin.is_file()):
            return False
        data = path.read_bytes()
        try:
            return (
                brotli.decompress(brotli_twin.read_bytes()) == data
                and gzip.decompress(gzip_twin.read_bytes()) == data
            )
        except (brotli.error, OSError, EOFError, zlib.error):
            return False
