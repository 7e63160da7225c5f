"""PaymentService: charges an order's total against the user's balance."""
