"""OneStop core: the Qt-free domain, the store, devices and the `onestop` command."""

__version__ = "0.1.0"
