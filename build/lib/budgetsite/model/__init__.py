"""Stage 3 — model: typed records with their links resolved both ways.

Records link one way in the data (a budget line names its programs); the model adds the
reverse links (a program knows its budget lines) so templates never search.

    records      the dataclasses
    site         Site and build_site: records made and linked, as the registry of kinds says
    reconcile    where the reports contradict themselves (sums, stated rates, audit counts)
    corrections  OCR fixes, applied to text when it is shown
    history      when each file last changed, from git
"""

from .records import AuditItem, BudgetLine, OrgUnit, Program, Record, SourceDoc, SourceRef
from .site import Site, build_site, make_record, sort_key

__all__ = ["AuditItem", "BudgetLine", "OrgUnit", "Program", "Record", "Site", "SourceDoc", "SourceRef",
           "build_site", "make_record", "sort_key"]
