"""The report model: pure data, no I/O."""
