"""Shop views by concern: parse input, call one service, render or redirect."""
