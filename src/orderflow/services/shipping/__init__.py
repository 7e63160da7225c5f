"""ShippingService: a shipment per confirmed order, cancelled when its payment is declined."""
