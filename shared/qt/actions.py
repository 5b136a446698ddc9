"""Staff screens' buttons: do the action; if the rules refuse it, say why; then redraw."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy.exc import SQLAlchemyError

from shared.domain import DomainError


class GuardedActions:
    """Mixed into a staff window that has an `error` label and a `refresh()` method."""

    error: QLabel

    def refresh(self, *_args: Any) -> None:  # pragma: no cover - every window has its own
        raise NotImplementedError

    def _button(self, text: str, action: Callable[[], Any], name: str) -> QPushButton:
        widget = QPushButton(text)
        widget.setObjectName(name)
        widget.clicked.connect(lambda: self._guard(action))
        return widget

    def _guard(self, action: Callable[[], Any]) -> None:
        self.error.setVisible(False)
        try:
            action()
        except DomainError as error:
            self.error.setText(str(error))
            self.error.setVisible(True)
        except SQLAlchemyError as error:  # offline, or this PC's login may not do that
            from shared.cli import database_problem

            self.error.setText(database_problem(error)[0])
            self.error.setVisible(True)
        self.refresh()
