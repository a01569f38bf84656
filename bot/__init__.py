"""PartnerPulse: bot."""
