"""``python -m manysides`` runs the CLI."""

from manysides.cli import main

main()
