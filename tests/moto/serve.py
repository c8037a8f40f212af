#!/usr/bin/env python3
"""Local AWS emulator for tests: moto's server app behind a DynamoDB lock.

moto's DynamoDB backend is not thread-safe (two concurrent UpdateItem ADDs on one counter can
both read the old value), so every request whose ``X-Amz-Target`` header starts with
``DynamoDB_`` runs under one global lock. Other services (S3, SQS, ...) stay concurrent.

Usage: serve.py [--host 127.0.0.1] --port N
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Any, Callable, Iterable

from werkzeug.serving import WSGIRequestHandler, run_simple

try:  # moto >= 5: the app lives in moto.moto_server.werkzeug_app.
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
except ImportError:  # older layouts re-export it from moto.server.
    from moto.server import DomainDispatcherApplication, create_backend_app  # type: ignore[no-redef]

StartResponse = Callable[..., Any]


def moto_request_handler() -> type[WSGIRequestHandler] | None:
    """moto's own WSGI request handler class, if this moto version ships one."""
    import moto.server as moto_server

    for name in dir(moto_server):
        obj = getattr(moto_server, name)
        if isinstance(obj, type) and issubclass(obj, WSGIRequestHandler) and obj is not WSGIRequestHandler:
            return obj
    return None


class DynamoLock:
    """WSGI wrapper serialising DynamoDB requests (body read, handling and response) on one lock."""

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return self.app(environ, start_response)
        with self.lock:
            result = self.app(environ, start_response)
            try:
                # Drain the response inside the lock: moto may build it lazily.
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, required=True, help="port to bind")
    args = parser.parse_args(argv)

    # moto builds some URLs (SQS queue URLs, ...) from MOTO_PORT, as its own server does.
    os.environ.setdefault("MOTO_PORT", str(args.port))

    # Exit cleanly on SIGTERM (moto's own server does the same).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        args.host,
        args.port,
        DynamoLock(app),
        threaded=True,
        use_reloader=False,
        request_handler=moto_request_handler(),
    )


if __name__ == "__main__":
    main()
