"""PartnerPulse: storage."""
