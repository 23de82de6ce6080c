"""Child processes that end with the run that started them, even when it is killed outright.

A process killed with SIGKILL runs no clean-up, and its children live on: Prefect's server
(~200 MB and a port), and the task runner's worker processes, which wait on a queue that never
closes. On Linux a child can ask the kernel for a signal when its parent dies (PR_SET_PDEATHSIG);
the signal comes when the *thread* that started the child ends, so a child must be started
from a thread that lives as long as the run.
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Get SIGTERM when the parent process dies; exit now if `parent` is already gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass  # the parent's own clean-up (atexit, executor shutdown) still ends us on a normal exit
    if os.getppid() != parent:
        os._exit(0)  # the parent died before we asked
