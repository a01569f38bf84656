"""Telegram handlers: partners' and coordinators'."""
