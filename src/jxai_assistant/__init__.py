"""jxai-assistant."""
