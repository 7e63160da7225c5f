"""Messaging rules shared by every service: outbox, inbox, consumer loop, dead letters."""
