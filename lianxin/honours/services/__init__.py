"""Writes of honours: rounds (quotas, nominations, review, publicity, approval) and medals."""
