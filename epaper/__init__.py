"""epaper: a newsroom's selected articles in, a finished daily edition out.

The public API is small: :func:`build_edition` and :func:`validate_edition`; the stages live in
subpackages (ingest, typeset, layout, render, raster, web, report, publish) behind it.
"""

__version__ = "0.1.0"
