"""The chaos run: load, SIGKILL any component at random moments, then check the guarantees."""
