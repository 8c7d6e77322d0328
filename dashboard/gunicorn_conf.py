"""gunicorn settings (used by the Procfile: `gunicorn -c python:dashboard.gunicorn_conf ...`)."""

import os

bind = f"{os.environ.get('DASHBOARD_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
preload_app = True  # load the data once, share it copy-on-write between workers
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000  # recycle workers now and then, staggered by the jitter
max_requests_jitter = 200
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
