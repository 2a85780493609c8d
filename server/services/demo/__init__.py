"""The demo world (`python -m server --demo`)."""
