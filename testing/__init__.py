"""smswire.testing: the conformance suite for codecs, and a pytest plugin with a gateway double.

Install the ``testing`` extra (``pip install 'smswire[testing]'``).

* :class:`ConformanceSuite`: subclass it in a test module, set ``vendor``, and
  pytest runs every check smswire's own codecs pass against yours.
* The pytest plugin (registered through the ``pytest11`` entry point) offers
  fixtures for a simulated gateway: ``smswire_sim`` (in-process, over
  ``httpx.ASGITransport``) and ``smswire_sim_server`` (on a loopback port);
  see :mod:`smswire.testing.plugin`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._conformance import ConformanceSuite

__all__ = ["ConformanceSuite"]


def __getattr__(name: str) -> Any:
    # Lazy: pytest imports the plugin (smswire.testing.plugin), and with it this
    # package, before a suite's conftest loads its hypothesis profile; the suite
    # (and hypothesis) load only when a test module asks for them.
    if name == "ConformanceSuite":
        from ._conformance import ConformanceSuite

        return ConformanceSuite
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
