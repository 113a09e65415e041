import sys

from epaper.cli import main

sys.exit(main())
