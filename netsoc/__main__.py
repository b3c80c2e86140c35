import sys

from netsoc.cli import main

sys.exit(main())
