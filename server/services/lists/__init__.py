"""What every list page shares: search, day ranges, sorts, pages (listing)."""
