"""``python -m spacenews``."""

from spacenews.cli import main

main()
