"""Can the time /forgot takes tell whether an email has an account?

    .venv/bin/python bench/forgot_timing.py [--requests 300] [--seed 7]

Starts the production command (`manage.py init-db`, `manage.py serve`) on a fresh SQLite
database in a temporary folder, with mail sent to a local SMTP sink (aiosmtpd) that accepts
everything, registers one account, and then, from a logged-out client on one keep-alive
connection, posts /forgot --requests times for the known address and as many times for
unknown ones, in a seeded random order, after a short warm-up. It prints each kind's median
and 95th percentile, and two measures of how well one request's time tells them apart:

  - best threshold: the share of requests a guesser classifies right with the best single
    cut-off time between the two kinds (50 % is a coin toss, 100 % always right);
  - AUC: the chance that a random known-address request took longer than a random
    unknown-address one (50 % when the time says nothing).

Traffic goes only to 127.0.0.1, to the port this script started the server on.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import HOST, Client, Server, free_port, quantile, temporary_folder  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

KNOWN = "known@example.dk"
WARM_UP = 20


class Sink:
    """An SMTP server that accepts every message and counts them."""

    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 Message accepted"


def best_threshold(known: list[float], unknown: list[float]) -> float:
    """The share classified right by the best single cut-off, either way round (0.5 to 1)."""
    labelled = sorted([(t, 1) for t in known] + [(t, 0) for t in unknown])
    correct = len(known)  # the cut-off below every time: all are called "known"
    best = max(correct, len(labelled) - correct)
    for index, (moment, label) in enumerate(labelled):  # move the cut-off past one request at a time
        correct += 1 if label == 0 else -1
        if index + 1 == len(labelled) or labelled[index + 1][0] != moment:  # never between equal times
            best = max(best, correct, len(labelled) - correct)
    return best / len(labelled)


def auc(known: list[float], unknown: list[float]) -> float:
    """The chance that a random known request was slower than a random unknown one (ties count half)."""
    labelled = sorted([(t, 1) for t in known] + [(t, 0) for t in unknown])
    rank_sum = 0.0
    index = 0
    while index < len(labelled):  # average ranks over ties
        end = index
        while end + 1 < len(labelled) and labelled[end + 1][0] == labelled[index][0]:
            end += 1
        average_rank = (index + end) / 2 + 1
        rank_sum += sum(average_rank for position in range(index, end + 1) if labelled[position][1] == 1)
        index = end + 1
    return (rank_sum - len(known) * (len(known) + 1) / 2) / (len(known) * len(unknown))


def post_forgot(client: Client, email: str) -> float:
    """POST /forgot for email; the seconds until the whole answer was read."""
    form = urlencode({"email": email, "csrf_token": client.csrf}).encode()
    started = time.perf_counter()
    status, _ = client.request("POST", "/forgot", form, {"Content-Type": "application/x-www-form-urlencoded"})
    took = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"POST /forgot answered {status}")
    return took


def describe(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    return (
        f"{name:<16} median {statistics.median(ordered) * 1000:7.2f} ms   "
        f"p95 {quantile(ordered, 0.95) * 1000:7.2f} ms   n {len(ordered)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per kind (known, unknown)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    folder = temporary_folder("forgot-timing-")
    sink = Sink()
    smtp = Controller(sink, hostname=HOST, port=free_port())
    smtp.start()
    server = Server(f"sqlite:///{folder / 'diary.sqlite3'}", folder)
    server.env |= {
        "SMTP_HOST": HOST,
        "SMTP_PORT": str(smtp.port),
        "SMTP_STARTTLS": "false",
        "MAIL_FROM": "dagbog@example.dk",
        "PUBLIC_URL": f"http://{HOST}:{server.port}",
    }
    try:
        server.init_db()
        server.start()
        if Client(server.port).register(KNOWN) != 302:
            raise RuntimeError("could not register the known account")
        client = Client(server.port)
        client.page_token("/forgot")
        rng = random.Random(args.seed)
        order = [True] * args.requests + [False] * args.requests
        rng.shuffle(order)
        for number in range(WARM_UP):
            post_forgot(client, KNOWN if number % 2 else f"warm-{number}@example.dk")
        times: dict[bool, list[float]] = {True: [], False: []}
        for number, known in enumerate(order):
            times[known].append(post_forgot(client, KNOWN if known else f"nobody-{number}@example.dk"))
        deadline = time.monotonic() + 30
        expected = args.requests + WARM_UP // 2
        while sink.received < expected and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.stop()
        smtp.stop()
    print(describe("known email", times[True]))
    print(describe("unknown email", times[False]))
    print(
        f"best threshold   {best_threshold(times[True], times[False]) * 100:5.1f} % classified right (50 % = a coin toss)"
    )
    print(f"AUC              {auc(times[True], times[False]) * 100:5.1f} % (50 % = the time says nothing)")
    print(f"mails received   {sink.received} of {expected} to the known address")
    return 0


if __name__ == "__main__":
    sys.exit(main())
