"""``python -m app`` runs the same command as the ``agentdeck`` console script."""

import sys

from app.cli import main

sys.exit(main())
