"""The service's routers, each mountable on its own."""
