"""InventoryService: stock per item, reserved all or nothing, released on a declined payment."""
