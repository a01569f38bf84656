"""PartnerPulse: surveys."""
