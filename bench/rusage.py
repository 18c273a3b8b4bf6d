#!/usr/bin/env python3
# bench/rusage.py - stand-in for /usr/bin/time -f '%e %U %S %M' -o OUT.
#
# usage: python3 rusage.py OUT CMD [ARG ...]
# Runs CMD, waits for it with wait4 (whose rusage covers every process of
# CMD that was waited for) and appends "wall user sys maxrss_kb" to OUT.
# Exits with CMD's status.  Used only when /usr/bin/time is missing.
import os
import sys
import time

out, argv = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.monotonic() - t0
with open(out, "a") as f:
    f.write("%.2f %.2f %.2f %d\n" % (wall, ru.ru_utime, ru.ru_stime,
                                     ru.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
