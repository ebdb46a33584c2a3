"""Pure analysis functions over plain data (the functional core): no ORM, no settings, no I/O."""
