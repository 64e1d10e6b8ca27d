import sys

from patentwire.cli import main

sys.exit(main())
