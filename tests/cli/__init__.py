"""Tests of the command line (svdesk/cli/) and of the catalogues both faces loop over."""
