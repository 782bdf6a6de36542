"""`python -m tipconv`."""

from .cli import main

main(prog_name="tipconv")
