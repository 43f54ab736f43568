"""Drivers: one interface (``base.Driver``), one implementation per way of reaching a target."""
