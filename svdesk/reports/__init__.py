"""Award papers with ReportLab: renderer classes that take domain values and return PDF bytes."""
