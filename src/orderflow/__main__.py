"""`python -m orderflow …` is the `orderflow` command (how the launcher starts services)."""

from orderflow.cli import main

main()
