"""Modal screens: forms, confirmations and the help screen."""
