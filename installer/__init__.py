"""Packaging, kiosk sessions and the guides' screenshots (python -m installer.smoke, ...)."""
