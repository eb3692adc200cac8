"""Start CNN Workbench: `python main.py`."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
