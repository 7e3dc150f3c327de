"""Reminders: in-app notifications, e-mails, the calendar feed and the scheduler process."""
