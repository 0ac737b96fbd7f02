"""What git knows: branches, changes since a base, when files last changed."""
