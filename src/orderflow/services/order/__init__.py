"""OrderService (the HTTP API and the orders) and OrderStatusService (the status
projection): two services, two kinds of process, one `orders` schema."""
