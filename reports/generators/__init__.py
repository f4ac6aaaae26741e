"""Generated sections of the plan and follow-up reports: one module per module app it reads
(through that app's `reporting.py` only). See `base` for the interface."""
