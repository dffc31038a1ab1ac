"""What the routes call: each function checks access through `zhifa.api.authz`, then reads or acts."""
