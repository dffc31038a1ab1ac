"""Every way in from outside: the HTTP app, identity and authorization, and the `zhifa` command line."""

__version__ = "0.1.0"
