"""HTTP: one router module per resource; pages, HTMX partials and the API."""
