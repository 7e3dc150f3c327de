"""Where the app finds the folders the project guide keeps at the top of the repository.

In a checkout (editable install, tests, CI) ``templates/`` and ``letters/`` sit next to the
``cnpe_flow`` package; an installed wheel carries them inside it, under ``_shipped/`` (see
setup.py). Nothing else should guess these paths.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: the ``cnpe_flow`` package folder
PACKAGE_DIR = Path(__file__).resolve().parent
#: the top of the checkout (meaningful only when running from one)
ROOT = PACKAGE_DIR.parent
_SHIPPED = PACKAGE_DIR / "_shipped"


def installed() -> bool:
    """True when running from an installed wheel rather than from a checkout."""
    return _SHIPPED.is_dir()


def shipped(name: str) -> Path:
    """The top-level folder ``name`` (``templates``, ``letters``) of this installation."""
    return _SHIPPED / name if installed() else ROOT / name


def default_instance_path() -> Path:
    """The instance folder (default SQLite database, demo database).

    A checkout keeps its own ``instance/``; an installed wheel must not write into
    site-packages, so it uses ``<prefix>/var/cnpe_flow-instance``, Flask's rule for installed
    packages (with a virtual environment, the prefix is the environment).
    """
    if installed():
        return Path(sys.prefix) / "var" / "cnpe_flow-instance"
    return ROOT / "instance"
