"""Run the bot (or a script) under cProfile, timed by the main thread's CPU clock.

    .venv/bin/python bench/profiled.py STATS_FILE partnerpulse run --config config.toml
    .venv/bin/python bench/profiled.py STATS_FILE bench/answers.py --echo-bot URL

`python -m cProfile` times calls by the wall clock, so on a shared machine a call that
happens to be descheduled (a socket send, a wake of the database thread) looks costly.
The main thread's CPU clock counts only the work the event loop does; other threads (the
database's, the embedding worker's) are not profiled (cProfile follows one thread).
"""

from __future__ import annotations

import cProfile
import runpy
import sys
import time


def main() -> None:
    """Profile `partnerpulse ARGS` or `SCRIPT ARGS`, then write the stats to STATS_FILE."""
    out, program, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    sys.argv = [program, *args]
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    try:
        if program == "partnerpulse":
            from bot.cli import main as partnerpulse
            partnerpulse()
        else:
            runpy.run_path(program, run_name="__main__")
    except SystemExit:
        pass
    finally:
        profile.disable()
        profile.dump_stats(out)


if __name__ == "__main__":
    main()
