"""The simulated interlocutor: a deterministic dialogue engine in plain Python (no Flask, no database).

text        normalises French free text and finds authors' phrases in it
negotiation answers offers on the terms at stake, never beyond the interlocutor's limit
engine      follows the scenario's dialogue turn by turn and records the moves it recognised
"""
from simulator.dialogue.engine import ConversationOver, Engine, Move, Run, Turn

__all__ = ["ConversationOver", "Engine", "Move", "Run", "Turn"]
