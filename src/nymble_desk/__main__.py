import sys

from nymble_desk.cli import main

sys.exit(main())
