"""Hazard reports from the village grid and citizens, 吹哨报到, and the township's hazard ledger (issue 16)."""
