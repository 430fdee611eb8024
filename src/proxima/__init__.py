"""Proxima: the platform of a territory's integrated psychosocial network."""
