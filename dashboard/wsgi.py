"""The WSGI entry point for gunicorn: `dashboard.wsgi:server`. Refuses to start on invalid data."""

from __future__ import annotations

import gc
import sys

from .app import create_app
from .data.records import DataError
from .settings import Settings

try:
    app = create_app(Settings.from_env())
except DataError as error:
    print("metoo-map: the data is invalid; not starting:", file=sys.stderr)
    print("\n".join(error.problems), file=sys.stderr)
    # Exit code 4 tells gunicorn's arbiter this is a boot error: do not respawn.
    sys.exit(4)
server = app.server
# The Atlas is built and never changes: move it out of the garbage collector's
# sight, so workers forked from this preloaded process neither rescan nor copy it.
gc.freeze()
