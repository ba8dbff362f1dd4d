"""``python -m jxai_assistant`` runs the CLI."""

from .cli import main

main()
