import gc
import os
import sys

from .tools.cli import main

# A build is one short run that keeps almost everything it makes until the end. Python's
# full collections would walk that whole growing heap again and again for nothing; young
# collections still free the short-lived cycles (template contexts) as they go.
gc.freeze()
gc.set_threshold(10_000, 50, 1_000_000)
code = main()
sys.stdout.flush()
sys.stderr.flush()
# Tearing down hundreds of megabytes of objects one by one takes a second; the run is over.
os._exit(code)
