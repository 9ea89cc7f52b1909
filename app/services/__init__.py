"""Domain logic, a package per capability: session in, models and plain data out; nothing from
fastapi."""
