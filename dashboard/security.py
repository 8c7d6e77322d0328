"""HTTP hardening: security headers, request limits, callback request shape checks, safe errors."""

from __future__ import annotations

import logging

from dash import Dash
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from .callback_requests import BadCallbackRequest, callback_shape_problem, read_body
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


def json_error(status: int, message: str, param: str | None = None) -> Response:
    """The one JSON error shape: {"ok": false, "error", "status"} and, for a query parameter, "param"."""
    payload: dict = {"ok": False, "error": message, "status": status}
    if param is not None:
        payload["param"] = param
    response = jsonify(payload)
    response.status_code = status
    return response


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
            try:
                if not request.is_json:
                    raise BadCallbackRequest("Content-Type is not application/json")
                problem = callback_shape_problem(app.callback_map, read_body(request.get_data(cache=True)))
            except BadCallbackRequest as error:
                problem = str(error)
            if problem:
                return json_error(400, f"Bad callback request: {problem}.")
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
            return json_error(error.code or 500, error.description or error.name)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return json_error(500, "Something went wrong on our side; it has been logged.")

    @server.route("/healthz")
    def healthz():
        return jsonify(status="ok")
