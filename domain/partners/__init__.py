"""Contacts and companies, their addresses, and their customer/vendor roles."""
