"""The life of a house: lifecycle (pure), the only writes that change a house, reading, funding."""
