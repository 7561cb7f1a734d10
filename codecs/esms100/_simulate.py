"""What esms100's own operation does at a simulated gateway (§8 ``/ent/``)."""

from __future__ import annotations

from .._simulate import GatewayState, Simulation
from ._codec import ChangePassword
from ._wire import Account

__all__ = ["SIMULATION"]


def change_password(op: ChangePassword, state: GatewayState) -> None:
    """§8: the new password replaces the old one; the next request must use it."""
    state.replace_account(Account(state.account.cpid, password=op.new_password))


SIMULATION = Simulation({ChangePassword: change_password})
