"""HTTP hardening: security headers, request limits, callback request shape checks, safe errors."""

from __future__ import annotations

import logging

from dash import Dash
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from .settings import Settings

log = logging.getLogger("dashboard")
CALLBACK_PATH_SUFFIX = "_dash-update-component"


def content_security_policy(app: Dash, frame_ancestors: str) -> str:
    """No external origin, no unsafe-eval; Dash's own inline scripts allowed by hash."""
    script_hashes = " ".join(app.csp_hashes())  # already quoted: 'sha256-…'
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {script_hashes}",
            # plotly.js and AG Grid set inline styles on the elements they draw.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


def _callback_shape_problem(app: Dash, body: object) -> str | None:
    """Why a callback request cannot be a request this page makes, or None."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    output = body.get("output")
    spec = app.callback_map.get(output) if isinstance(output, str) else None
    if spec is None or "callback" not in spec:  # clientside callbacks have no server function
        return "unknown output"
    for field in ("inputs", "state"):
        items = body.get(field, [])
        if not isinstance(items, list) or len(items) != len(spec.get(field, [])):
            return f"{field} do not match the callback"
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("property"), str) \
                    or not isinstance(item.get("id"), (str, dict)):
                return f"malformed {field} item"
    if "outputs" in body and not isinstance(body["outputs"], (list, dict)):
        return "malformed outputs"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "malformed changedPropIds"
    return None


def harden(app: Dash, settings: Settings) -> None:
    """Install the limits, checks, headers and error handlers on the app's Flask server.

    Call it after every callback is registered: the policy hashes their inline scripts.
    """
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    server.config["PROPAGATE_EXCEPTIONS"] = False
    csp = content_security_policy(app, settings.frame_ancestors)

    @server.before_request
    def check_callback_request():
        if request.method == "POST" and request.path.endswith(CALLBACK_PATH_SUFFIX):
            body = request.get_json(silent=True)
            problem = _callback_shape_problem(app, body)
            if problem:
                return jsonify(error=f"Bad callback request: {problem}."), 400
        return None

    @server.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        return response

    @server.errorhandler(Exception)
    def generic_error(error: Exception):
        if isinstance(error, HTTPException):
            return jsonify(error=error.description), error.code
        log.exception("unhandled error on %s %s", request.method, request.path)
        return jsonify(error="Something went wrong on our side; it has been logged."), 500

    @server.route("/healthz")
    def healthz():
        return jsonify(status="ok")
