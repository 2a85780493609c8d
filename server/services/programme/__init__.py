"""What the programme is set up with: forms and their versions, the unit tree, targets."""
