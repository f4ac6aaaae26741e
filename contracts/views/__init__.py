"""Avtal och avtalsuppföljning: register, upphandlingar, tidsplan and follow-ups."""
