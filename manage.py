#!/usr/bin/env python
"""Django's command-line utility for Knotenpunkt (the same as the ``knotenpunkt`` command)."""

from knotenpunkt.manage import main

if __name__ == "__main__":
    main()
