"""HTTP handlers: one module per resource. Handlers parse and render; services do the work."""
