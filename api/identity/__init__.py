"""Users, roles, enforcement certificates and case memberships; password hashing and tokens."""
