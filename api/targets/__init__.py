"""The target register (执法对象名录库, DOMAIN.md §3.1): units, their class and assigned level, their file (一企一档)."""
