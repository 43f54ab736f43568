"""Benchmark of the harness against hand-written scripts (``python -m bench``, ``make bench``).

Against one reference server started for the purpose, in the same run: the API and browser
suites (a fixed selection of scenarios) vs plain httpx / Playwright scripts doing the same
requests and page loads (``plain_api.py``, ``plain_browser.py``), the browser suite on 1 and
2 xdist workers, the reference's registration throughput vs its password-hashing limit, and
the peak memory of the harness and of each browser worker. See ``runner.py``.
"""
