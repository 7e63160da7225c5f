"""The chaos run: load, kill and freeze components at random moments, then check the guarantees."""
