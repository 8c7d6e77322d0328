"""The WSGI entry point for gunicorn: `dashboard.wsgi:server`. Refuses to start on invalid data."""

from __future__ import annotations

import ctypes
import gc
import sys

from .app import create_app
from .data.records import DataError
from .settings import Settings


def release_free_memory() -> None:
    """Hand the heap that loading freed back to the system (glibc only), before workers fork.

    Reading 100,000 records leaves about 20 MB of freed but still mapped heap
    that each worker would otherwise carry in its RSS.
    """
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to do
        pass


try:
    app = create_app(Settings.from_env())
except DataError as error:
    print("metoo-map: the data is invalid; not starting:", file=sys.stderr)
    print("\n".join(error.problems), file=sys.stderr)
    # Exit code 4 tells gunicorn's arbiter this is a boot error: do not respawn.
    sys.exit(4)
server = app.server
release_free_memory()
# The Atlas is built and never changes: move it out of the garbage collector's
# sight, so workers forked from this preloaded process neither rescan nor copy it.
gc.freeze()
