"""Benchmark of the harness against hand-written scripts (``python -m bench``, ``make bench``).

Against one reference server started for the purpose, in the same run: the API suite (a fixed
selection of scenarios) vs a plain httpx script doing the same requests (``plain_api.py``); the
browser suite, everything in the browser (``--arrangement navigateur``), vs a plain Playwright script
doing the same page loads and form submissions in the browser (``plain_browser.py``); the http
driver's suite vs the API suite; the browser suite on the scenarios of ⑦ and ⑧ with its preparation
over HTTP (the default) vs everything in the browser, with whether both give the same per-rule
verdicts; the browser suite on 1 and 2 xdist workers (information only); the suite in 4 shards vs in
one run; the reference's registration throughput vs its password-hashing limit; and the peak memory
of the harness and of each browser worker. See ``runner.py``.
"""
