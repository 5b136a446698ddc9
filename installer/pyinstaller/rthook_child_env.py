"""PyInstaller runtime hook: programs this one starts see the system's libraries.

On Linux the bootloader points LD_LIBRARY_PATH at the bundle's own libraries (and
keeps the old value in LD_LIBRARY_PATH_ORIG). espeak-ng, lp and lpstat are the
system's programs: given the bundle's libraries they may fail to start. This
process has already loaded what it needs, so putting the variable back only
changes what its children see.
"""

import os
import sys

if sys.platform.startswith("linux"):
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)
