"""Recorded pitches: audio (and video) recorded in the browser, uploaded in pieces while it runs."""
