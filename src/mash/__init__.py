"""MASH information sharing hub."""
