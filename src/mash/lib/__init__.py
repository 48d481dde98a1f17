"""Small helpers shared by the apps. Each has its own tests in tests/lib."""
