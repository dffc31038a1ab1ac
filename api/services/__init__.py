"""What the routes call: each function checks access through `api.authz`, then reads or acts."""
