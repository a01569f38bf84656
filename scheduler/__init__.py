"""PartnerPulse: scheduler."""
