"""The four services of the chain: order → inventory → shipping → payment."""
