"""Static files in production: whitenoise's compressed, hashed storage, made quick to
collect again, since `proxima serve --production` collects at every start."""

import os

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Source maps are read by a developer's browser tools only: not worth compressing.
SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")


class ReusingCompressor(Compressor):
    """Keeps the gzip and brotli copies already made for a file: it is only given hashed
    names, whose content is named by its hash (brotli at its best takes seconds per
    megabyte). Emptying STATIC_ROOT makes them again."""

    def compress(self, path):
        made = [path + suffix for suffix in (".br", ".gz") if os.path.exists(path + suffix)]
        return made or super().compress(path)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names (cached for a year by browsers), with gzip and brotli copies of the
    hashed files only: the pages ask for those; a file asked for by its plain name is still
    served, uncompressed and with a short cache."""

    def compress_files(self, paths):
        hashed = set(self.hashed_files.values())
        return super().compress_files([path for path in paths if path in hashed])

    def create_compressor(self, **kwargs):
        kwargs["extensions"] = SKIP_COMPRESS_EXTENSIONS
        return ReusingCompressor(**kwargs)
