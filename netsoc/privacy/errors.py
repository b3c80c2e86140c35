"""The one exception of :mod:`netsoc.privacy`."""

class PrivacyError(ValueError):
    """A privacy operation was refused (e.g. key file inside the output folder)."""

