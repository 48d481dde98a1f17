"""The hub's collected static files: WhiteNoise's storage (hashed names, a Brotli and a
gzip twin of each, served cached for a year), compressing each file once.

``mash serve`` collects the static files every time it starts. WhiteNoise compresses
every file each time: on a two-core machine that was 23 s of every start (44 s of CPU),
even with nothing changed. Here:

- **A file is compressed only when its twins are not already right.** A twin is kept
  when it decompresses to the file's exact bytes, and both twins must be there;
  otherwise the file is compressed again (a new or changed file, or a twin a collection
  stopped part-way left short). Unhashed copies are compressed too: the pages' script
  modules import each other by their own names (``govuk-frontend.min.js``), which the
  manifest does not rewrite.
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
        yield from super().compress_files([name for name in paths if not self._twins_intact(name)])

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
