"""Dialogue: routing, fact extraction, state, the deterministic composer and the optional LLM behind a number firewall."""
