"""bench/load.sh only: the production settings with `bench.load_urls`, the site plus two
measuring views. The deployed site never loads this module."""
from mega.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.load_urls"
