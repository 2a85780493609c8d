"""Numbers out: progress roll-ups, periodic reports, exports, recount, formatting for people."""
