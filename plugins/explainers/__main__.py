import gc
import os
import sys

from .cli import main

# A build is one short run that keeps almost everything it makes until the end: Python's
# cyclic collector would walk the whole growing heap again and again for nothing.
gc.disable()
code = main()
sys.stdout.flush()
sys.stderr.flush()
# Tearing down hundreds of megabytes of objects one by one takes a second; the run is over.
os._exit(code)
