"""The built program's entry point: `onestop VERB ...`, as the installed command."""

import multiprocessing
import sys

from shared.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # Windows: a frozen child process must not rerun main
    sys.exit(main())
