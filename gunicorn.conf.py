"""gunicorn settings for `make serve` and production (override with GUNICORN_* variables)."""
import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
# PDF rendering of a full report can take a few seconds; nothing else comes near this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then so that a slow memory growth (e.g. in PDF rendering) cannot build up.
max_requests = 2000
max_requests_jitter = 200
# Load the app once in the master and fork the workers from it: a recycled worker then starts at
# once, where importing the app took it about a second, during which its next request waited
# (under load that was every few seconds). Nothing opens a database connection while loading.
# A new release therefore needs a restart of gunicorn; `kill -HUP` would fork the old code again.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    # The app's objects, loaded once, are never garbage: kept out of the collector, the workers'
    # collections neither walk them nor write to their pages, which stay shared with the master.
    gc.freeze()
