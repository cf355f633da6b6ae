"""gunicorn settings for `make serve` and production (override with GUNICORN_* variables)."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
# Threads in each worker: a sync worker serves one request at a time, so an autosave (25 ms) waited
# behind a report page or a PDF download in both workers. With threads, a request runs while another
# waits on PostgreSQL or Redis, and Python hands the CPU from a long request to a short one every
# few milliseconds. Database connections are per thread (at most workers × threads).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# PDF rendering of a full report can take a few seconds; nothing else comes near this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then so that a slow memory growth (e.g. in PDF rendering) cannot build up.
max_requests = 2000
max_requests_jitter = 200
# Load the app once in the master and fork the workers from it: a recycled worker then starts at
# once, where importing the app took it about a second, during which its next request waited
# (under load that was every few seconds). Nothing opens a database connection while loading.
# Workers keep forking the master's code but read templates and catalogues from disk: restart
# gunicorn as soon as a release's files are in place (README, "Deploying").
preload_app = True
accesslog = "-"
# gunicorn's usual fields, then the time the request took in ms (bench/capacity.py reads it to tell
# the server's time from the client's).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# The access log cuts password reset tokens out of request lines (mega/log_redaction.py).
logger_class = "mega.log_redaction.GunicornLogger"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    # Once, after the app is loaded and before the first fork: the app's objects live as long as
    # the process, so the workers' garbage collections need not walk them again and again (nor
    # write their bookkeeping into pages shared with the master). Collect first: freeze no garbage.
    gc.collect()
    gc.freeze()
