"""smswire-luosimao: a smswire plug-in for Luosimao (螺丝帽) SMS.

Installing the distribution registers the vendor ``luosimao`` (entry point
group ``smswire.vendors``): ``smswire.codecs.get_codec("luosimao")``, the
clients, the simulator (under ``/luosimao``), the CLI and the conformance
suite all see it.
"""

from __future__ import annotations

from ._codec import SPEC, VENDOR, Account, Codec

__all__ = ["SPEC", "VENDOR", "Account", "Codec"]
