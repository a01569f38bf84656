"""The `partnerpulse` command line: thin commands over the surveys services."""
