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

from ._conformance import ConformanceSuite

__all__ = ["ConformanceSuite"]
