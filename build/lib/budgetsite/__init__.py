"""Static site generator for public budget-transparency portals.

A build is a pipeline, one module per stage, data flowing one way:
load → validate (+ checks) → model → charts / search / exports → render → write.
"""

__version__ = "0.1.0"
