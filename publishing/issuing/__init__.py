"""Issuing copies to patients: understanding what is asked for, the one service that decides, builds,
records and hands back a copy, and the PALS desk on top of it."""
