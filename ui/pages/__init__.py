"""The pages of a tender's workspace: overview, evaluation model, negotiation, bids, scoring, results, reports."""
