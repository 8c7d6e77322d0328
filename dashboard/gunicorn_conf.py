"""gunicorn settings (used by the Procfile: `gunicorn -c python:dashboard.gunicorn_conf ...`)."""

import os

bind = f"{os.environ.get('DASHBOARD_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
preload_app = True  # load the data once, share it copy-on-write between workers
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, staggered by the jitter. Not every 2,000 requests: at a few hundred
# requests a second that restarted each worker every few seconds with an empty panel cache, and the
# panels it recomputed were the 16-client p99 (170 ms; 45 ms without restarts). Memory is bounded
# by the caches' sizes, so a rarer recycle loses nothing.
max_requests = 20000
max_requests_jitter = 2000
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
