"""Business rules of the directory, as plain typed functions (see STYLE.md)."""
