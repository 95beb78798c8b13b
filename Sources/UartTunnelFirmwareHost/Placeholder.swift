// Placeholder so the target builds until its sources land.
