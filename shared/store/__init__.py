"""Persistence: tables, migrations, transactions and change notification."""

from .db import Database, Tx, resolve_url
from .notify import Subscription, subscribe

__all__ = ["Database", "Subscription", "Tx", "resolve_url", "subscribe"]
