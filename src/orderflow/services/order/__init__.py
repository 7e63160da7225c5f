"""OrderService: the HTTP API, orders, and the status projection (OrderStatusService)."""
