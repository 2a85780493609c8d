"""A survey's way in: ingest, the phone's feed, what answers mean, signals, duplicates, review."""
