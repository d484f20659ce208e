"""Role plays in the app: conversations with the simulated interlocutor, stored turn by turn."""
