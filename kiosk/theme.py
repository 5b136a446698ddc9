"""Looks: the standard and high-contrast themes, and the larger-text switch.

Colours pass WCAG 2.2 AA (4.5:1) for text: white on #005a87 is 7.3:1, white on
#1d3f66 is 11.1:1, #0b0c0c on #ffffff is 19.8:1; the high-contrast theme is
yellow (#ffff00) on black, 19.6:1. Touch targets are at least 15 mm: on a 21.5"
1920x1080 kiosk screen (about 4 px/mm) that is 61 px; buttons are 80 px (20 mm) or more.
"""

from __future__ import annotations

MIN_TARGET_PX = 80

STANDARD = {
    "background": "#ffffff",
    "text": "#0b0c0c",
    "button": "#005a87",
    "button_text": "#ffffff",
    "secondary": "#1d3f66",
    "accent": "#ffdd00",
    "warning_bg": "#ffdd00",
    "warning_text": "#0b0c0c",
    "border": "#0b0c0c",
}
HIGH_CONTRAST = {
    "background": "#000000",
    "text": "#ffff00",
    "button": "#000000",
    "button_text": "#ffff00",
    "secondary": "#000000",
    "accent": "#ffffff",
    "warning_bg": "#ffff00",
    "warning_text": "#000000",
    "border": "#ffff00",
}


def stylesheet(high_contrast: bool, large_text: bool, screen_scale: float = 1.0) -> str:
    """`screen_scale` shrinks everything for a window that is not a kiosk's whole screen
    (the demo's quarter of a monitor); a real kiosk keeps 1.0."""
    c = HIGH_CONTRAST if high_contrast else STANDARD
    scale = (1.35 if large_text else 1.0) * screen_scale
    body, heading, big, button = (int(s * scale) for s in (30, 48, 60, 32))
    target = int(MIN_TARGET_PX * screen_scale)
    key_width = int(84 * screen_scale)
    return f"""
    QWidget#kiosk {{ background: {c["background"]}; }}
    QLabel {{ color: {c["text"]}; font-size: {body}px; }}
    QLabel[role="heading"] {{ font-size: {heading}px; font-weight: bold; }}
    QLabel[role="number"] {{ font-size: {int(180 * screen_scale)}px; font-weight: bold; }}
    QLabel[role="note"] {{ font-size: {int(body * 0.8)}px; }}
    QLabel[role="big"] {{ font-size: {big}px; font-weight: bold; }}
    QLabel[role="warning"] {{ background: {c["warning_bg"]}; color: {c["warning_text"]};
        font-size: {body}px; font-weight: bold; padding: 16px; border: 3px solid {c["border"]}; }}
    QLabel[role="banner"] {{ background: {c["warning_bg"]}; color: {c["warning_text"]};
        font-size: {int(30 * screen_scale)}px; font-weight: bold; padding: 8px 16px;
        border-bottom: 3px solid {c["border"]}; }}
    QPushButton {{ background: {c["button"]}; color: {c["button_text"]}; font-size: {button}px;
        font-weight: bold; border: 4px solid {c["border"]}; border-radius: 12px;
        min-height: {target}px; padding: 4px 16px; }}
    QPushButton:pressed {{ background: {c["secondary"]}; border-color: {c["accent"]}; }}
    QPushButton:checked {{ background: {c["accent"]}; color: {c["warning_text"]}; }}
    QPushButton[role="secondary"] {{ background: {c["secondary"]}; font-size: {int(body * 0.9)}px;
        min-height: {target}px; }}
    QPushButton[role="secondary"]:checked {{ background: {c["accent"]};
        color: {c["warning_text"]}; }}
    QPushButton[role="key"] {{ font-size: {button}px; min-width: {key_width}px; padding: 4px; }}
    QLineEdit {{ font-size: {big}px; padding: 12px; color: {c["text"]};
        background: {c["background"]}; border: 4px solid {c["border"]}; }}
    """
