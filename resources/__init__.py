"""Read-only data shipped inside the executable: asks library, fonts, icons, demo data."""
