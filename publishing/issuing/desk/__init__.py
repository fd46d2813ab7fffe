"""The PALS desk: a small web application where staff find a leaflet, choose the language and
format, and hand the patient the right copy (download, print, e-mail). See README, For PALS staff."""

from __future__ import annotations

from .app import create_app, is_loopback

__all__ = ["create_app", "is_loopback", "serve"]


def serve(root, host: str = "127.0.0.1", port: int = 8080, threads: int = 8) -> None:
    """Run the desk with waitress until interrupted."""
    import logging
    from pathlib import Path

    import waitress

    from . import settings

    app = create_app(Path(root), settings.load(Path(root)), host)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    print(f"The leaflets desk is at http://{host}:{port}/ (Ctrl+C stops it)", flush=True)
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="leaflets-desk")
    finally:  # rows still queued for the request log are written before the desk stops
        app.extensions["desk"]["log"].flush(5)
