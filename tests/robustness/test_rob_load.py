"""A bounded load test on 127.0.0.1: a few hundred registrations at once against two uvicorn workers.

`moncompte serve --workers 2 --test-cheap-hashing` on a SQLite file: every registration ends
with its account, created once, and no request fails. Bounded in count (REGISTRATIONS) and in
time (DEADLINE): the loop stops by itself.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa
from servers import Journey, identity

REGISTRATIONS = 200
CONCURRENCY = 20
DEADLINE = 120  # seconds, for the whole load


def test_two_hundred_concurrent_registrations_against_two_workers(server_factory, sqlite_file):
    # 200 registrations from this one client: past the per-address quota on codes (tested on its own).
    server = server_factory(sqlite_file, "--workers", "2", "--test-cheap-hashing", "--test-send-limit-per-client", "0")
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    started = time.monotonic()
    people = [identity(10_000 + n) for n in range(REGISTRATIONS)]
    assert len({p["nir"] for p in people}) == REGISTRATIONS

    # Per-request timeout as long as the whole bound: on a loaded machine a request may queue
    # behind SQLite's write lock; the load as a whole is still stopped by DEADLINE.
    with httpx.Client(base_url=server.url, timeout=DEADLINE, limits=limits) as client:

        def register(person: dict) -> str | Exception:
            if time.monotonic() - started > DEADLINE:
                return TimeoutError("délai de la charge dépassé")
            try:
                reg_id, _, _ = Journey(client).register(person)
                return reg_id
            except (AssertionError, httpx.HTTPError) as exc:
                return exc

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            results = list(pool.map(register, people))
    elapsed = time.monotonic() - started

    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, f"{len(failures)} échecs, dont : {failures[:3]!r}"
    engine = sa.create_engine(sqlite_file)
    with engine.connect() as db:
        rows = db.execute(sa.text("SELECT nir, count(*) FROM accounts GROUP BY nir")).all()
    engine.dispose()
    assert sorted(nir for nir, _ in rows) == sorted(p["nir"] for p in people)
    assert all(n == 1 for _, n in rows)
    output = server.output()
    assert "Traceback" not in output and " 500" not in output and "ERROR" not in output, output[-3000:]
    # No timing is asserted (speed is the bench's business): a registration started after DEADLINE
    # is a failure above, which only stops a load that would never end.
    print(f"{REGISTRATIONS} inscriptions ({CONCURRENCY} à la fois, 2 workers) en {elapsed:.1f} s")


@pytest.mark.parametrize(
    "flag",
    [["--test-cheap-hashing"], ["--test-login-limit-per-client", "1000"], ["--test-send-limit-per-client", "0"]],
)
def test_test_only_weakenings_are_refused_outside_test_mode(capsys, flag):
    import argparse

    from moncompte.reference_impl import server

    parser = argparse.ArgumentParser()
    server.add_arguments(parser)
    args = parser.parse_args([*flag, "--workers", "2"])
    assert args.workers == 2
    assert server.run(args) == 2  # refused before anything starts
    assert f"{flag[0]} n'est permis qu'avec --test-mode" in capsys.readouterr().err
