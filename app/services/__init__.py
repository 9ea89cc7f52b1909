"""Domain logic: session in, models and plain data out; nothing from fastapi."""
