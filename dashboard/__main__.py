"""`python -m dashboard` is the `metoo-map` command."""

from .cli import main

main()
