"""The few Qt pieces the apps share."""
