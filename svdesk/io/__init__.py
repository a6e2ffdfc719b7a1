"""Files in and out: the tender file (JSON), CSV/XLSX, OCDS. Every reader names file, place and problem."""
